/**
 * How every mail of a ticket is put together, whatever the regulation: the subject with the ID and
 * the request type (seed 000 п. 2.3.1.5), the body beginning with the ID (п. 2.3.1.6), a greeting for
 * the initiator, the regulation's signature, and a key that makes delivery idempotent.
 */
import type { RegulationData } from '../regulations/types';
import { typeLabel } from '../ticket/labels';
import type { MailSpec } from '../ticket/module';
import type { TicketEvent, TicketState } from '../ticket/types';
import { normalizeEmail } from '../validation';

/** Mailboxes resolved from configuration: the desk's managers and the two services of seed 003. */
export type MailRole = 'managers' | 'regional' | 'federal';

export interface OutgoingMail {
  /** `<ticket>:<event seq>:<template>`: a retried delivery never sends a second copy. */
  readonly key: string;
  readonly ticketId: string;
  readonly eventSeq: number;
  readonly template: string;
  readonly to: readonly string[];
  readonly toRoles: readonly MailRole[];
  readonly subject: string;
  readonly text: string;
  /** Sent by the system on its own (Auto-Submitted: auto-generated), not written by a person. */
  readonly automatic: boolean;
  /** The Message-ID the ticket's thread hangs from (the initiator's request), if any. */
  readonly threadRoot: string | null;
}

const TITLE_LENGTH = 80;

function title(state: TicketState): string {
  const source = state.intake.subject?.trim() || state.intake.description?.trim().split('\n')[0] || '';
  const oneLine = source.replace(/\s+/g, ' ');
  return oneLine.length > TITLE_LENGTH ? `${oneLine.slice(0, TITLE_LENGTH - 1)}…` : oneLine;
}

/** «[ID100123] Инцидент: Не списываются баллы» (п. 2.3.1.5). */
export function subjectOf(state: TicketState, regulation: RegulationData): string {
  const kind = state.type in regulation.requestTypes ? typeLabel(regulation, state.type) : 'Заявка';
  // An initiator who already put the type in the subject (as п. 2.3.1.5 asks) does not get it twice.
  const t = withoutPrefix(title(state), kind);
  return `[${state.id}] ${kind}${t ? `: ${t}` : ''}`;
}

function withoutPrefix(text: string, kind: string): string {
  const head = text.slice(0, kind.length);
  if (head.toLocaleLowerCase('ru') !== kind.toLocaleLowerCase('ru')) return text;
  const rest = text.slice(kind.length);
  return /^\s*[:.\-–—]/.test(rest) ? rest.replace(/^\s*[:.\-–—]\s*/, '') : text;
}

/** The initiator's address and additional addresses for feedback (п. 2.3.1.1), deduplicated. */
export function initiatorAddresses(state: TicketState): string[] {
  const all = [state.intake.initiator.email, ...(state.intake.initiator.extraEmails ?? [])];
  const valid = all.map((a) => (a ? normalizeEmail(a) : null)).filter((a): a is string => !!a);
  return [...new Set(valid.map((a) => a.toLowerCase()))].map((lower) =>
    valid.find((a) => a.toLowerCase() === lower)!,
  );
}

/** The mailboxes behind each role, as configured (MANAGER_EMAILS, REGIONAL_MAILBOX, FEDERAL_MAILBOX). */
export type RoleMailboxes = Readonly<Record<MailRole, readonly string[]>>;

/** Everyone a mail goes to: its addresses and its roles' mailboxes, valid and each once. */
export function recipientsOf(mail: Pick<OutgoingMail, 'to' | 'toRoles'>, roles: RoleMailboxes): string[] {
  const all = [...mail.to, ...mail.toRoles.flatMap((r) => roles[r] ?? [])];
  const valid = all.map((a) => normalizeEmail(a)).filter((a): a is string => !!a);
  const seen = new Set<string>();
  return valid.filter((a) => !seen.has(a.toLowerCase()) && seen.add(a.toLowerCase()));
}

/** The assignee's address, for staff notices. */
export const staffOf = (state: TicketState): string[] =>
  state.assignee?.email ? [state.assignee.email] : [];

/**
 * Issue #18: mail nobody at the desk caused (acknowledgements, requests for missing fields, reminders)
 * never goes to an initiator whose sender check failed: a forged From: must not make the desk write to
 * someone. Mail an operator causes (having seen the check on the ticket) still goes.
 */
function withoutUnauthenticated(
  state: TicketState,
  event: TicketEvent,
  to: readonly string[],
): readonly string[] {
  const check = state.intake.senderAuth;
  if (!check || check.authenticated || check.confirmedByOperator) return to;
  if ('by' in event && event.by.kind === 'operator') return to;
  const initiator = new Set(initiatorAddresses(state).map((a) => a.toLowerCase()));
  return to.filter((a) => !initiator.has(a.toLowerCase()));
}

/** The mail a template decided on, addressed and signed; null when it has nobody to go to. */
export function buildMail(
  state: TicketState,
  event: TicketEvent,
  regulation: RegulationData,
  spec: MailSpec,
): OutgoingMail | null {
  const toRoles = spec.audience.roles ?? [];
  const to = withoutUnauthenticated(state, event, spec.audience.to ?? []);
  if (!to.length && !toRoles.length) return null;
  const name = state.intake.initiator.fullName;
  const toInitiator = to.some((a) => initiatorAddresses(state).includes(a));
  const greeting = name && toInitiator ? [`Здравствуйте, ${name}!`, ''] : [];
  return {
    key: `${state.id}:${event.seq}:${spec.template}`,
    ticketId: state.id,
    eventSeq: event.seq,
    template: spec.template,
    to,
    toRoles,
    subject: subjectOf(state, regulation),
    text: [state.id, '', ...greeting, ...spec.lines, '', '—', regulation.signature, ''].join('\n'),
    automatic: spec.automatic ?? false,
    threadRoot: state.intake.sourceMessageId ?? null,
  };
}
