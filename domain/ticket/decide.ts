import { resolveRegulation } from '../regulations';
import type { Regulation } from '../regulations/types';
import { clockCalendar, iso, safely, timersOf } from './clocks';
import { accept, context, event, nothing, refuse, type Ctx } from './decision';
import { decideEpgu, epguConfirmationExpired, epguNoResponse } from './epgu';
import { COMMAND_LABELS } from './labels';
import { actorRefusal } from './permissions';
import { decidePrimorye, primoryeNoResponse } from './primorye';
import { OPERATOR_COMMANDS, type Command, type Decision, type TicketState, type TimerCommand } from './types';

/**
 * The single entry point of the ticket's rules: what happens when `command` arrives at `now` (epoch
 * ms). Returns the events to record, or a refusal with a reason a person understands. Never throws
 * for bad input; timer commands that are no longer due produce no events.
 */
export function decide(state: TicketState, command: Command, now: number): Decision {
  const regulation = resolveRegulation(state.regulation);
  const c = context(state, regulation, now);
  if (!command || typeof command !== 'object' || typeof command.type !== 'string') {
    return refuse('invalid_command', 'Неизвестное действие.', 'command must be an object with a type');
  }
  if (command.type === 'timer') return decideTimer(c, command);
  if (!OPERATOR_COMMANDS.includes(command.type)) {
    return refuse(
      'invalid_command',
      `Неизвестное действие «${String(command.type)}».`,
      `unknown command ${String(command.type)}`,
    );
  }
  if (
    !command.by ||
    typeof command.by !== 'object' ||
    !['operator', 'initiator', 'system'].includes(command.by.kind)
  ) {
    return refuse(
      'invalid_command',
      'Не указано, кто выполняет действие.',
      'command.by.kind must be operator, initiator or system',
    );
  }
  if (state.archived) {
    return refuse(
      'archived',
      `Заявка ${state.id} закрыта и перенесена в архив; действие «${COMMAND_LABELS[command.type]}» невозможно.`,
      'ticket is archived',
    );
  }
  if (
    command.by.kind === 'initiator' &&
    !['reply', 'statusInquiry', 'confirm', 'disagree'].includes(command.type)
  ) {
    return refuse(
      'forbidden',
      'Инициатор может только писать сообщения по заявке.',
      `initiators cannot ${command.type}`,
    );
  }
  const forbidden = actorRefusal(regulation, command.type, command.by);
  if (forbidden) return { ok: false, refusal: forbidden };
  return regulation.id === 'primorye'
    ? decidePrimorye(c as Ctx<typeof regulation>, command)
    : decideEpgu(c as Ctx<typeof regulation>, command);
}

function decideTimer(c: Ctx, cmd: TimerCommand): Decision {
  const clock = c.state.clocks[cmd.clock];
  if (!clock) return nothing;
  const { value: timers } = safely(() => timersOf(clock, clockCalendar(c.regulation, clock)));
  const at = timers?.[cmd.timer];
  // Stale: the clock was paused, stopped or retargeted after the timer was armed.
  if (at === undefined || at > c.now) return nothing;
  const system = { kind: 'system' as const, name: 'reglament' };
  if (cmd.timer === 'reminder') {
    return accept(
      event(
        c,
        system,
        { type: 'initiatorReminded', clock: cmd.clock, dueAt: iso(timers!.expiry ?? at) },
        {
          clockOps: [{ op: 'fire', name: cmd.clock, timer: 'reminder' }],
        },
      ),
    );
  }
  const expiry = timers!.expiry;
  if (cmd.timer === 'warning' && (expiry === undefined || expiry > c.now)) {
    return accept(
      event(
        c,
        system,
        { type: 'deadlineWarning', clock: cmd.clock, dueAt: iso(expiry ?? at) },
        {
          clockOps: [{ op: 'fire', name: cmd.clock, timer: 'warning' }],
        },
      ),
    );
  }
  // Expiry (or a warning that came too late to be useful: the breach is reported instead).
  const outcome = expiryOutcome(c, cmd.clock);
  if (outcome.ok && outcome.events.length) return outcome;
  if (cmd.clock === 'followUp') {
    return accept(
      event(
        c,
        system,
        { type: 'archived' },
        {
          clockOps: [
            { op: 'fire', name: 'followUp', timer: 'expiry' },
            { op: 'stop', name: 'followUp' },
          ],
        },
      ),
    );
  }
  return accept(
    event(
      c,
      system,
      { type: 'deadlineBreached', clock: cmd.clock, dueAt: iso(expiry ?? at) },
      {
        clockOps: [
          { op: 'fire', name: cmd.clock, timer: 'expiry' },
          ...(clock.warnAt != null && !clock.fired.warning
            ? [{ op: 'fire' as const, name: cmd.clock, timer: 'warning' as const }]
            : []),
        ],
      },
    ),
  );
}

/** Clocks whose expiry changes the ticket rather than only reporting a breach. */
function expiryOutcome(c: Ctx<Regulation>, clock: string): Decision {
  const r = c.regulation;
  if (clock === 'noResponse') {
    return r.id === 'primorye' ? primoryeNoResponse(c as Ctx<typeof r>) : epguNoResponse(c as Ctx<typeof r>);
  }
  if (clock === 'confirmation' && r.id === 'epgu') return epguConfirmationExpired(c as Ctx<typeof r>);
  return nothing;
}
