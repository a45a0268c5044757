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
}

/**
 * Every command of the ticket's regulation with whether `by` may issue it at `now`. Commands the
 * regulation does not have are left out.
 */
export function availableActions(state: TicketState, by: Actor, now: number): ActionAvailability[] {
  const module = regulationModule(state.regulation.id);
  const c = context(state, resolveRegulation(state.regulation), now);
  return OPERATOR_COMMANDS.flatMap((command) => {
    const refusal = preconditionRefusal(c, module, command, by);
    if (refusal?.code === 'not_in_regulation') return [];
    return [{ command, allowed: refusal === null, refusal }];
  });
}
