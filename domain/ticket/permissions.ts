/**
 * Who may issue each operator command under a regulation: by role (the regulation's `permissions`
 * table) and by line (`lineRoles`: a line's own work is done by that line's people, seed 000 п. 1,
 * 3.3.1 (3)). One rule for the API, the workflow's validator and the console's list of actions.
 */
import { roleLabel, type RegulationData } from '../regulations/types';
import { COMMAND_LABELS, lineLabel } from './labels';
import type { Actor, OperatorCommandType, Refusal } from './types';

/** Roles that act on any line (they supervise the desk). */
const SUPERVISORS = ['admin', 'manager'];

/** The refusal for an operator whose role may not issue `command`; null when the role may. */
export function roleRefusal(
  regulation: RegulationData,
  command: OperatorCommandType,
  role: string,
): Refusal | null {
  const allowed = regulation.permissions[command];
  // A command the table does not name is not part of the regulation: its rules say so themselves.
  if (!allowed || role === 'admin' || (allowed as readonly string[]).includes(role)) return null;
  return {
    code: 'forbidden',
    message: `Действие «${COMMAND_LABELS[command]}» по регламенту выполняют: ${allowed.map(roleLabel).join(', ')}.`,
    detail: `role ${role} may not ${command}`,
  };
}

/**
 * The refusal for an operator whose role does not work the line holding the ticket, for a command
 * that is that line's own work; null when the role may (or the regulation has no line rule).
 */
export function lineRefusal(
  regulation: RegulationData,
  command: OperatorCommandType,
  role: string,
  line: string,
): Refusal | null {
  const roles = regulation.lineRoles[line];
  if (!roles || SUPERVISORS.includes(role) || (roles as readonly string[]).includes(role)) return null;
  // A role that works no line (e.g. of another regulation) is left to the role table.
  if (!Object.values(regulation.lineRoles).some((r) => (r as readonly string[]).includes(role))) return null;
  return {
    code: 'forbidden_line',
    message:
      `Заявка на линии «${lineLabel(regulation, line)}»: действие «${COMMAND_LABELS[command]}» выполняют специалисты этой линии` +
      ` (${roles.map(roleLabel).join(', ')})${regulation.lines[line]?.clause ? `, ${regulation.lines[line]!.clause}` : ''}.`,
    detail: `role ${role} does not work line ${line}`,
  };
}

/** Operators acting with a role are checked; the initiator and the system are checked by the rules themselves. */
export function actorRefusal(
  regulation: RegulationData,
  command: OperatorCommandType,
  by: Actor,
  line?: { readonly line: string; readonly ownLine: boolean },
): Refusal | null {
  if (by.kind !== 'operator' || typeof by.role !== 'string') return null;
  return (
    roleRefusal(regulation, command, by.role) ??
    (line?.ownLine ? lineRefusal(regulation, command, by.role, line.line) : null)
  );
}
