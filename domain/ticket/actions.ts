/**
 * What a person may do with a ticket now: each command of the ticket's regulation with its
 * preconditions (state, role, line) checked as decide() checks them, whatever the arguments. The
 * console shows the allowed ones with their forms; the others carry the Russian reason.
 */
import { regulationModule, resolveRegulation } from '../regulations';
import { context } from './decision';
import { preconditionRefusal } from './decide';
import {
  OPERATOR_COMMANDS,
  type Actor,
  type OperatorCommandType,
  type Refusal,
  type TicketState,
} from './types';

export interface ActionAvailability {
  readonly command: OperatorCommandType;
  readonly allowed: boolean;
  /** Why not (allowed: false). */
  readonly refusal: Refusal | null;
  /** Allowed and what the regulation expects next in this state (the module's `nextSteps`). */
  readonly next: boolean;
}

/**
 * Every command of the ticket's regulation with whether `by` may issue it at `now`: the allowed next
 * steps first, in the regulation's order, then the rest. Commands the regulation does not have are
 * left out.
 */
export function availableActions(state: TicketState, by: Actor, now: number): ActionAvailability[] {
  const module = regulationModule(state.regulation.id);
  const rules = resolveRegulation(state.regulation);
  const c = context(state, rules, now);
  const expected = state.archived ? [] : (module.nextSteps?.(rules, state) ?? []);
  const rank = (a: ActionAvailability) => (a.next ? expected.indexOf(a.command) : expected.length);
  return OPERATOR_COMMANDS.flatMap((command) => {
    const refusal = preconditionRefusal(c, module, command, by);
    if (refusal?.code === 'not_in_regulation') return [];
    return [
      { command, allowed: refusal === null, refusal, next: refusal === null && expected.includes(command) },
    ];
  }).sort((a, b) => rank(a) - rank(b));
}
