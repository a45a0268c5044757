/** The manager's dashboard: how the desk keeps its regulations, in one answer the console charts. */
import { z } from 'zod';
import {
  currentRef,
  lineLabel,
  REGULATION_IDS,
  resolveRegulation,
  statusLabel,
  typeLabel,
  type Regulation,
} from '../../domain';
import { assigneeLoad, backlog, breaches, weeklyOnTime } from '../../db/repositories/dashboard';
import { slaReport } from '../../db/repositories/slaReport';
import { Problem } from '../problems';
import { ORGANIZATION, route, type RouteSpec } from '../route';
import { isoInstant, problem, regulationId } from '../schemas';

const n = z.number();
const labelled = { regulation: z.string(), label: z.string() };

/** One row of the SLA report (by type or by line), times in working hours. */
const slaGroup = z.object({
  group: z.string().nullable(),
  label: z.string(),
  tickets: n,
  resolved: n,
  onTime: n,
  breached: n,
  /** Open tickets whose deadline is «предварительный срок» (issue #20). */
  provisional: n,
  medianHours: n.nullable(),
  p90Hours: n.nullable(),
  pausedHours: n,
});

const dashboard = z
  .object({
    from: z.string(),
    to: z.string(),
    timeZone: z.string(),
    weekly: z.array(
      z.object({
        week: z.string(),
        ...labelled,
        line: z.string(),
        lineLabel: z.string(),
        type: z.string(),
        typeLabel: z.string(),
        resolved: n,
        onTime: n,
      }),
    ),
    byType: z.array(slaGroup),
    byLine: z.array(slaGroup),
    backlog: z.array(z.object({ ...labelled, status: z.string(), age: z.string(), count: n })),
    load: z.array(
      z.object({
        assigneeId: z.string().nullable(),
        assigneeName: z.string().nullable(),
        open: n,
        breached: n,
        awaitingOperator: n,
      }),
    ),
    breaches: z.object({
      total: n,
      open: n,
      items: z.array(
        z.object({
          id: z.string(),
          regulation: z.string(),
          type: z.string(),
          typeLabel: z.string(),
          status: z.string(),
          statusLabel: z.string(),
          line: z.string(),
          lineLabel: z.string(),
          assigneeName: z.string().nullable(),
          organization: z.string().nullable(),
          slaDueAt: z.string().nullable(),
          slaDueProvisional: z.boolean(),
          receivedAt: z.string(),
          temporal: z.string().nullable(),
        }),
      ),
    }),
  })
  .meta({ id: 'Dashboard' });

/** Labels of every regulation of the installation, looked up by whichever one knows the code. */
export function labeller(regulations: readonly Regulation[]) {
  const first = (f: (r: Regulation) => string | undefined, code: string | null): string =>
    (code && regulations.map(f).find((l) => l !== undefined)) ?? code ?? '—';
  return {
    type: (code: string | null) =>
      first((r) => (code && code in r.requestTypes ? typeLabel(r, code) : undefined), code),
    line: (code: string | null) =>
      first((r) => (code && code in r.lines ? lineLabel(r, code) : undefined), code),
  };
}

export const dashboardRoutes: RouteSpec[] = [
  route({
    method: 'get',
    path: '/reports/dashboard',
    tag: 'Отчёты',
    summary:
      'Панель руководителя: доля в срок по неделям, линиям и типам; нарушения; очередь по статусам и возрасту; p90 в рабочих часах; нагрузка исполнителей',
    description:
      'Все цифры — из агрегатов, которые ведутся вместе с заявками (для ключа организации — агрегаты этой организации); заявки читаются только на неполных часах и днях краёв периода и для 50 строк списка нарушений: открытые — самые просроченные первыми, затем закрытые — новые первыми. Медиана и p90 — по гистограмме, погрешность не более 9 % (см. /reports/sla).',
    roles: ['manager'],
    scope: ORGANIZATION,
    query: z.strictObject({ from: isoInstant, to: isoInstant, regulation: regulationId.optional() }),
    responses: {
      200: { description: 'Панель', schema: dashboard },
      400: { description: 'Некорректный период', schema: problem },
    },
    handler: async ({ ctx, query, principal }) => {
      const from = new Date(query.from);
      const to = new Date(query.to);
      if (!(from < to))
        throw new Problem('validation', 'Начало периода (from) должно быть раньше конца (to).');
      const ids = query.regulation ? [query.regulation] : REGULATION_IDS;
      const regulations = ids.map((id) => resolveRegulation(currentRef(id, ctx.regulationSettings[id])));
      const byId = new Map(regulations.map((r) => [r.id as string, r]));
      const timeZone =
        regulations.find((r) => r.id === ctx.defaultRegulation)?.workingHours.timeZone ??
        regulations[0]!.workingHours.timeZone;
      const scope = principal.organizationId;
      const label = labeller(regulations);
      const [weekly, byType, byLine, queue, load, breached] = await Promise.all([
        weeklyOnTime(ctx.db, from, to, timeZone, scope),
        slaReport(ctx.db, from, to, 'type', scope),
        slaReport(ctx.db, from, to, 'line', scope),
        backlog(ctx.db, new Date(ctx.now()), scope),
        assigneeLoad(ctx.db, scope),
        breaches(ctx.db, from, to, scope),
      ]);
      const of = (id: string) => byId.get(id) ?? resolveRegulation(currentRef(id as never));
      return {
        status: 200,
        body: {
          from: from.toISOString(),
          to: to.toISOString(),
          timeZone,
          weekly: weekly
            .filter((w) => byId.has(w.regulation))
            .map((w) => ({
              ...w,
              label: of(w.regulation).title,
              lineLabel: lineLabel(of(w.regulation), w.line),
              typeLabel: typeLabel(of(w.regulation), w.type),
            })),
          byType: byType.map((g) => ({ ...g, label: label.type(g.group) })),
          byLine: byLine.map((g) => ({ ...g, label: label.line(g.group) })),
          backlog: queue
            .filter((b) => byId.has(b.regulation))
            .map((b) => ({ ...b, label: statusLabel(of(b.regulation), b.status) })),
          load,
          breaches: {
            ...breached,
            items: breached.items.map((t) => ({
              ...t,
              typeLabel: typeLabel(of(t.regulation), t.type),
              statusLabel: statusLabel(of(t.regulation), t.status),
              lineLabel: lineLabel(of(t.regulation), t.line),
              temporal: ctx.temporalLink(t.id),
            })),
          },
        },
      };
    },
  }),
];
