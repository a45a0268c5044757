/**
 * What a person may do with a ticket now: each operator command tried through decide() with typical
 * arguments, on the ticket's state, as this person. The console shows the allowed ones with their
 * forms; the others carry the Russian reason. Arguments are the form's business: a refusal about
 * them (a missing reason, an empty text) does not make an action unavailable.
 */
import { resolveRegulation } from '../regulations';
import type { Regulation } from '../regulations/types';
import { decide } from './decide';
import {
  OPERATOR_COMMANDS,
  type Actor,
  type Command,
  type OperatorCommandType,
  type Refusal,
  type TicketState,
} from './types';

export interface ActionAvailability {
  readonly command: OperatorCommandType;
  readonly allowed: boolean;
  /** Why not (allowed: false), or what the form must supply (allowed: true). */
  readonly refusal: Refusal | null;
}

/** Refusals about what a command's form supplies, not about whether the action is possible now. */
const ARGUMENT_CODES: Partial<Record<OperatorCommandType, readonly string[]>> = {
  register: ['invalid_type', 'missing_fields', 'invalid_fields'],
  reclassify: ['invalid_type', 'missing_fields', 'invalid_fields', 'no_change'],
  forward: ['missing_fields', 'invalid_fields'],
  reject: ['invalid_reason'],
};
const isArgumentRefusal = (type: OperatorCommandType, code: string): boolean =>
  code === 'invalid_arguments' || (ARGUMENT_CODES[type]?.includes(code) ?? false);

const TEXT = '—';

/** Arguments that are valid whenever the action itself is possible. */
function typicalArgs(
  state: TicketState,
  regulation: Regulation,
  type: OperatorCommandType,
  by: Actor,
): Record<string, unknown> {
  const types = Object.keys(regulation.requestTypes);
  const kinds = regulation.id === 'epgu' ? ['incident', 'information_request'] : types;
  switch (type) {
    case 'register':
      return { requestType: kinds.includes(state.type) ? state.type : kinds[0] };
    case 'assign':
      return { assignee: { id: by.id ?? 'operator', name: by.name ?? 'Оператор' } };
    case 'escalate':
    case 'return':
      return { reason: TEXT };
    case 'requestInfo':
      return { question: TEXT };
    case 'reject': {
      if (regulation.id !== 'primorye') return { reason: '' };
      const reason = Object.entries(regulation.rejectionReasons).find(
        ([, r]) => !r.automaticOnly && (!r.types || r.types.includes(state.type)),
      );
      return { reason: reason?.[0] ?? '' };
    }
    case 'setDeadline':
      return { workingHours: 8 };
    case 'reclassify':
      return { requestType: kinds.find((k) => k !== state.type) ?? state.type };
    case 'answerFromFaq':
      return { articleId: 'faq', answer: TEXT };
    case 'forward':
    case 'resume':
    case 'confirm':
      return {};
    case 'askAgency':
      return { agency: 'ФОИВ' };
    case 'statusInquiry':
      return { channel: 'phone' };
    case 'resolveClaim':
      return { claimId: state.claims.find((c) => c.resolvedAt === null)?.id ?? '', text: TEXT };
    default:
      return { text: TEXT };
  }
}

/**
 * Every command of the ticket's regulation with whether `by` may issue it at `now`. Commands the
 * regulation does not have are left out.
 */
export function availableActions(state: TicketState, by: Actor, now: number): ActionAvailability[] {
  const regulation = resolveRegulation(state.regulation);
  const result: ActionAvailability[] = [];
  for (const type of OPERATOR_COMMANDS) {
    const command = { ...typicalArgs(state, regulation, type, by), type, by } as Command;
    const decision = decide(state, command, now);
    if (decision.ok) {
      result.push({ command: type, allowed: true, refusal: null });
      continue;
    }
    const { refusal } = decision;
    if (refusal.code === 'not_in_regulation') continue;
    result.push({ command: type, allowed: isArgumentRefusal(type, refusal.code), refusal });
  }
  return result;
}
