/**
 * Who may issue each operator command under a regulation (the regulation's `permissions` table):
 * one rule for the API, the workflow's validator and the console's list of actions.
 */
import type { Regulation } from '../regulations/types';
import { COMMAND_LABELS } from './labels';
import type { Actor, OperatorCommandType, Refusal } from './types';

/** The refusal for an operator whose role may not issue `command`; null when the role may. */
export function roleRefusal(
  regulation: Regulation,
  command: OperatorCommandType,
  role: string,
): Refusal | null {
  const allowed = regulation.permissions[command];
  // A command the table does not name is not part of the regulation: its rules say so themselves.
  if (!allowed || role === 'admin' || (allowed as readonly string[]).includes(role)) return null;
  return {
    code: 'forbidden',
    message: `Действие «${COMMAND_LABELS[command]}» по регламенту выполняют: ${allowed.join(', ')}.`,
    detail: `role ${role} may not ${command}`,
  };
}

/** Operators acting with a role are checked; the initiator and the system are checked by the rules themselves. */
export function actorRefusal(
  regulation: Regulation,
  command: OperatorCommandType,
  by: Actor,
): Refusal | null {
  return by.kind === 'operator' && typeof by.role === 'string'
    ? roleRefusal(regulation, command, by.role)
    : null;
}
