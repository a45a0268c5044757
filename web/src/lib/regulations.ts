/**
 * The regulations of this installation, as GET /regulations/{id} describes them (the domain's
 * regulation document: statuses, types, lines, required fields, reasons). Loaded once per session.
 */
import { useQuery } from '@tanstack/react-query';
import { api, ok } from '../api/client';
import { queryKeys } from '../api/queries';

interface Labelled {
  readonly label: string;
  readonly clause: string;
}

/** The parts of GET /regulations/{id} the console reads. */
export interface Regulation {
  readonly id: 'primorye' | 'epgu';
  readonly title: string;
  readonly version: string;
  readonly workingHours: { readonly timeZone: string };
  readonly statuses: Readonly<Record<string, Labelled & { terminal: boolean }>>;
  readonly requestTypes: Readonly<Record<string, Labelled>>;
  readonly lines: Readonly<Record<string, Labelled>>;
  readonly lineOrder?: readonly string[];
  readonly slaWarningFraction: number | null;
  readonly requiredFields?: {
    readonly all: readonly (Labelled & { field: string })[];
    readonly byType: Readonly<Record<string, readonly (Labelled & { field: string })[]>>;
  };
  /** What a request of each type must say (seed 000 п. 2.3.1.2, 2.3.1.9, 2.3.1.10, 2.3.1.12). */
  readonly contentByType?: Readonly<
    Record<string, readonly (Labelled & { field?: string; required: boolean })[]>
  >;
  readonly userDataFields?: readonly (Labelled & { field: string })[];
  readonly channelsByType?: Readonly<Record<string, readonly string[]>>;
  /** The line that executes access requests (seed 000 п. 3.3.1). */
  readonly accessLine?: string;
  readonly rejectionReasons?: Readonly<
    Record<string, Labelled & { automaticOnly?: boolean; types?: string[]; statuses?: string[] }>
  >;
  readonly pendingReasons?: Readonly<Record<string, Labelled>>;
  /** Seed 003: the statuses in which an operator may close with each reason. */
  readonly closeReasons?: Readonly<Record<string, Labelled & { byOperatorIn?: string[] }>>;
  /** Roles that may issue each command, and the roles that work each line (seed 000 п. 1). */
  readonly permissions?: Readonly<Record<string, readonly string[]>>;
  readonly lineRoles?: Readonly<Record<string, readonly string[]>>;
}

/**
 * Whether «Взять в работу» is offered on a queue row: the role may assign, and works the line that
 * holds the request (managers and admins any). The workflow decides in the end; this only spares a
 * person a button that would be refused (the rule is domain/ticket/permissions.ts).
 */
export function mayTake(regulation: Regulation | undefined, role: string, line: string): boolean {
  if (!regulation || role === 'admin' || role === 'manager') return true;
  const allowed = regulation.permissions?.assign;
  if (allowed && !allowed.includes(role)) return false;
  const lineRoles = regulation.lineRoles ?? {};
  const worksALine = Object.values(lineRoles).some((roles) => roles.includes(role));
  return !worksALine || !lineRoles[line] || lineRoles[line].includes(role);
}

/**
 * Whether the role registers requests under this regulation — the rule POST /tickets applies: the
 * regulation's `register` permission (seed 000 п. 2.4), else (seed 003) the РПГУ desk and managers.
 * The register page offers only these, so its live check is never refused (issue #19).
 */
export function mayRegister(regulation: Regulation, role: string): boolean {
  if (role === 'admin') return true;
  return (regulation.permissions?.register ?? ['regional_operator', 'manager']).includes(role);
}

export function useRegulations() {
  return useQuery({
    queryKey: queryKeys.regulations(),
    queryFn: async () => {
      const list = await ok(api.GET('/regulations'));
      const items = (list as { items: { id: string; default: boolean }[] }).items;
      const full = await Promise.all(
        items.map(
          async (r) =>
            (await ok(
              api.GET('/regulations/{id}', { params: { path: { id: r.id } } }),
            )) as unknown as Regulation,
        ),
      );
      return {
        list: full,
        byId: Object.fromEntries(full.map((r) => [r.id, r])) as Record<string, Regulation>,
        defaultId: items.find((r) => r.default)?.id ?? full[0]?.id ?? 'primorye',
      };
    },
    staleTime: Infinity,
  });
}

export const zoneOf = (regs: { byId: Record<string, Regulation> } | undefined, id: string): string =>
  regs?.byId[id]?.workingHours.timeZone ?? 'Europe/Moscow';
