/**
 * An assignee is one of the desk's people who work the line (issue #18, finding 9): an active user of
 * the console, of the ticket's organisation or of the whole desk, whose role works the line the
 * ticket will be on. The person in the command is the one on file: the name and the address staff
 * notices go to come from the user record, never from the request body.
 */
import { lineLabel, resolveRegulation, type Person, type TicketState } from '../domain';
import { roleLabel } from '../domain/regulations/types';
import type { ApiPrincipal } from '../db/repositories/apiKeys';
import { findUser, type UserRow } from '../db/repositories/users';
import type { ApiContext } from './context';
import { Problem } from './problems';

const refuse = (message: string, code: string): Problem => new Problem('conflict', message, { code });

/** The person on file for `sent`, checked against the actor's scope, the ticket's organisation and the line. */
export async function deskAssignee(
  ctx: ApiContext,
  principal: ApiPrincipal,
  ticket: { readonly regulation: TicketState['regulation']; readonly organizationId: string | null },
  line: string,
  sent: { readonly id: string },
  /** The person's record, when it was read ahead (the command path reads it while the key is checked). */
  found?: Promise<UserRow | null>,
): Promise<Person> {
  const user = await (found ?? findUser(ctx.db, sent.id));
  const visible =
    user &&
    !user.disabledAt &&
    (!principal.organizationId || user.organizationId === principal.organizationId) &&
    (user.organizationId === null || user.organizationId === ticket.organizationId);
  if (!user || !visible)
    throw refuse(
      `Исполнитель «${sent.id.slice(0, 100)}» не найден среди сотрудников службы поддержки: выберите его из списка ` +
        'сотрудников (GET /people).',
      'unknown_assignee',
    );
  const regulation = resolveRegulation(ticket.regulation);
  const roles = regulation.lineRoles[line];
  if (roles?.length && !roles.includes(user.role as (typeof roles)[number]))
    throw refuse(
      `${user.name} (${roleLabel(user.role)}) не работает на линии «${lineLabel(regulation, line)}»: исполнителя ` +
        `этой линии выбирают из сотрудников с ролью ${roles.map(roleLabel).join(', ')}.`,
      'assignee_line',
    );
  return { id: user.login, name: user.name, ...(user.email && { email: user.email }) };
}

/** The line a command leaves the ticket on, for its assignee. */
function targetLine(state: TicketState, type: string, args: Record<string, unknown>): string {
  const regulation = resolveRegulation(state.regulation) as { lineOrder?: readonly string[] };
  const order = regulation.lineOrder ?? [];
  if (type === 'assign' && typeof args.line === 'string') return args.line;
  if (type === 'escalate')
    return typeof args.toLine === 'string'
      ? args.toLine
      : (order[order.indexOf(state.line) + 1] ?? state.line);
  return state.line || order[0] || '';
}

/** The assignee of assign, escalate or register as the person on file; null for other commands. */
export async function assigneesOf(
  ctx: ApiContext,
  principal: ApiPrincipal,
  state: TicketState,
  type: string,
  args: Record<string, unknown>,
  found?: Promise<UserRow | null>,
): Promise<{ assignee: Person } | null> {
  const sent = args.assignee as { id: string } | undefined;
  if (!sent || !['assign', 'escalate', 'register'].includes(type)) return null;
  const ticket = {
    regulation: state.regulation,
    organizationId: state.intake.initiator.organizationId ?? null,
  };
  return {
    assignee: await deskAssignee(ctx, principal, ticket, targetLine(state, type, args), sent, found),
  };
}
