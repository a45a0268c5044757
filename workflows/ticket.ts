/**
 * One durable workflow per ticket. It only routes: Updates, signals and timers go into the domain's
 * pure runtime, in one ordered path; the resulting events go to activities (read model, mail). Every
 * decision is in domain/.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  type SignalDefinition,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { TicketActivities } from '../activities';
import {
  advanceBefore,
  advanceTo,
  applyCommand,
  decide,
  nextDeadline,
  notificationsFor,
  openTicket,
  openWithCommands,
  ticketIndex,
  ticketView,
  type Applied,
  type Refusal,
  type TicketEvent,
  type TicketState,
  wakeAt,
} from '../domain';
import {
  calendarSignal,
  COMMAND_REFUSED,
  commandSignals,
  type CalendarPayload,
  effectsQuery,
  executeUpdate,
  searchAttributes,
  ticketQuery,
  type CommandOutcome,
  type QueuedCommand,
  type TicketWorkflowInput,
  type TicketWorkflowResult,
  type UpdateCommand,
} from './messages';

// The read model must not lose an event: retry for as long as the database is away.
const { recordTicket } = proxyActivities<TicketActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

// A timer's events (issue #21: deadlines fall due together) are written by a local activity in the
// workflow task that fired the timer: no activity task through the server and no second workflow task
// before the ticket's mail. Same retry rule. Commands keep the activity above: their Update answers
// without waiting for the write (the API writes the read model itself).
const { recordTicket: recordTimerEvents } = proxyLocalActivities<TicketActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

// Mail: transient SMTP faults retry with back-off for about a day; a rejected mail is not retried.
const { sendMail } = proxyActivities<TicketActivities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '10 seconds',
    backoffCoefficient: 2,
    maximumInterval: '2 hours',
    maximumAttempts: 20,
    nonRetryableErrorTypes: ['MailRejected', 'InvalidMail'],
  },
});

/** Events kept in memory for the query and carried over; the full log is in PostgreSQL. */
const LOG_LIMIT = 300;
const SEEN_LIMIT = 300;
/** Continue as new before the history gets long, even if the server does not suggest it yet. */
const HISTORY_BUDGET = 8_000;
/** A signal or Update and the workflow task that handles it are at least this many history events. */
const MIN_EVENTS_PER_COMMAND = 4;

/** A command waiting for its turn; an Update also waits for its answer. */
interface Pending {
  readonly command: QueuedCommand;
  readonly answer?: { resolve(outcome: CommandOutcome): void; reject(error: unknown): void };
}

const refused = (refusal: Refusal): ApplicationFailure =>
  ApplicationFailure.create({
    type: COMMAND_REFUSED,
    message: refusal.message,
    details: [refusal],
    nonRetryable: true,
  });

export async function ticketWorkflow(input: TicketWorkflowInput): Promise<TicketWorkflowResult> {
  const queue: Pending[] = [
    ...(input.carried?.pending ?? []).map((command) => ({ command })),
    ...(input.openedAt ? [] : (input.initialCommands ?? []).map((command) => ({ command }))),
  ];
  const seen: string[] = [...(input.carried?.seen ?? [])];
  let state: TicketState;
  let recent: TicketEvent[] = [...(input.carried?.log ?? [])];
  let opened: Applied | null = null;
  if (input.carried) {
    state = input.carried.state;
  } else {
    try {
      opened = input.openedAt
        ? openWithCommands(input.open!, input.initialCommands ?? [], Date.parse(input.openedAt))
        : openTicket(input.open!);
    } catch (e) {
      throw ApplicationFailure.nonRetryable(
        `cannot open ticket: ${(e as Error).message}`,
        'InvalidTicketInput',
      );
    }
    state = opened.state;
    if (input.openedAt) remember(...(input.initialCommands ?? []).map((c) => c.commandId));
  }

  function remember(...ids: (string | undefined)[]): void {
    for (const id of ids) if (id && !seen.includes(id)) seen.push(id);
    seen.splice(0, Math.max(0, seen.length - SEEN_LIMIT));
  }

  // The ticket's clock: the workflow's time, shifted for a tester's scenario on a time-skipping server
  // (whose clock starts at the present and only moves forward); 0 for every real ticket.
  const offset = input.options?.clockOffsetMs ?? 0;
  const now = (): number => Date.now() + offset;

  // A deadline's minute belongs to it (seed 000 п. 3.5: a reply at the deadline is in time): timers fire
  // once their minute is over, commands of that minute first. Histories from before keep the old rule.
  const minuteRule = patched('timers-after-their-minute');
  const fireDue = (at: number): Applied => (minuteRule ? advanceBefore(state, at) : advanceTo(state, at));

  // Issue #20: a new production calendar version, queued like any command so it is applied in order.
  // Recorded histories never received this signal; the marker keeps replays of new ones exact.
  setHandler(calendarSignal, (payload: CalendarPayload) => {
    if (!patched('calendar-versions')) return;
    queue.push({
      command: {
        type: 'calendar',
        by: { kind: 'system', name: 'reglament' },
        calendar: payload.calendar,
        decree: payload.decree ?? null,
        ...(payload.commandId && { commandId: payload.commandId }),
      },
    });
  });

  for (const [type, signal] of Object.entries(commandSignals)) {
    // Handlers only enqueue; the loop below decides, in order.
    setHandler(signal as SignalDefinition<[object]>, (payload: object) => {
      queue.push({ command: { ...payload, type } as QueuedCommand });
    });
  }
  setHandler(
    executeUpdate,
    (command: UpdateCommand) => {
      if (seen.includes(command.commandId)) {
        return Promise.resolve({ commandId: command.commandId, events: [], state, duplicate: true });
      }
      return new Promise<CommandOutcome>((resolve, reject) => {
        queue.push({ command, answer: { resolve, reject } });
      });
    },
    {
      // Runs the rules on the ticket as it is now (timers due by now fired), without changing it.
      validator: (command: UpdateCommand) => {
        if (!command || typeof command !== 'object' || typeof command.commandId !== 'string') {
          throw refused({
            code: 'invalid_command',
            message: 'Команда без идентификатора.',
            detail: 'an update needs a commandId',
          });
        }
        if (seen.includes(command.commandId)) return;
        if (['timer', 'calendar'].includes((command as { type: string }).type)) {
          throw refused({
            code: 'invalid_command',
            message: 'Сроки срабатывают сами.',
            detail: 'timer commands come from the workflow itself',
          });
        }
        const at = now();
        const decision = decide(fireDue(at).state, command, at);
        if (!decision.ok) throw refused(decision.refusal);
      },
    },
  );
  setHandler(ticketQuery, () => ticketView(state, recent, now()));

  let indexed = '';
  const index = (): void => {
    const values = ticketIndex(state);
    const key = JSON.stringify(values);
    if (key === indexed) return;
    indexed = key;
    const pairs: SearchAttributeUpdatePair[] = [
      { key: searchAttributes.TicketType, value: values.type },
      { key: searchAttributes.TicketStatus, value: values.status },
      { key: searchAttributes.SupportLine, value: values.line },
      { key: searchAttributes.Organization, value: values.organization },
      { key: searchAttributes.Regulation, value: values.regulation },
      { key: searchAttributes.SlaDueAt, value: values.slaDueAt ? new Date(values.slaDueAt) : null },
      { key: searchAttributes.SlaBreached, value: values.slaBreached },
    ];
    upsertSearchAttributes(pairs);
  };

  // Effects run in the background, each chain in order, so the ticket keeps deciding (commands, SLA
  // timers) while a database or mail server is away. Mail waits for the persistence of its events:
  // the read model never lags behind what a person was told.
  let persisted: Promise<void> = Promise.resolve();
  /** Persistence and mail batches not yet done (the `effects` query: a tester waits for none). */
  let effects = 0;
  setHandler(effectsQuery, () => effects);
  let mailed: Promise<void> = Promise.resolve();
  const settled = (): Promise<unknown> => Promise.all([persisted, mailed]);

  const commit = (applied: Applied, byTimer = false): void => {
    state = applied.state;
    if (!applied.events.length) return;
    recent = [...recent, ...applied.events].slice(-LOG_LIMIT);
    const snapshot = state;
    const events = applied.events;
    // Histories from before wrote a timer's events by an ordinary activity.
    const write = byTimer && patched('timer-events-local-write') ? recordTimerEvents : recordTicket;
    effects++;
    persisted = persisted.then(() => write({ state: snapshot, events })).finally(() => effects--);
    index();
    const mails = events.flatMap((event) => notificationsFor(event, snapshot));
    if (!mails.length) return;
    const after = persisted;
    effects++;
    mailed = Promise.all([mailed, after])
      .then(async () => {
        for (const mail of mails) {
          try {
            await sendMail(mail);
          } catch (e) {
            // Recorded as failed by the activity; the ticket goes on.
            log.warn('mail not delivered', { key: mail.key, error: (e as Error).message });
          }
        }
      })
      .finally(() => effects--);
  };

  /** Applies one command in its turn and answers its Update, if it came as one. */
  const apply = ({ command, answer }: Pending): void => {
    const id = command.commandId;
    if (id && seen.includes(id)) {
      answer?.resolve({ commandId: id, events: [], state, duplicate: true });
      return;
    }
    remember(id);
    const applied = applyCommand(state, command, now());
    commit(applied);
    if (!answer) return;
    // Something that came first (a timer, an earlier command) made the command impossible after all.
    if (applied.refusal) answer.reject(refused(applied.refusal));
    else answer.resolve({ commandId: id!, events: applied.events, state, duplicate: false });
  };

  const historyBudget = input.options?.historyBudget ?? HISTORY_BUDGET;
  /** Commands handled in this run: a lower bound of the history, for servers that do not report its length. */
  let handled = 0;
  const historyGrown = (): boolean => {
    const info = workflowInfo();
    const length = Math.max(info.historyLength, handled * MIN_EVENTS_PER_COMMAND);
    return info.continueAsNewSuggested || length > historyBudget;
  };

  if (opened) commit(opened);
  else index();

  for (;;) {
    commit(fireDue(now()), true);
    const next = queue.shift();
    if (next) {
      handled++;
      apply(next);
      continue;
    }
    if (state.archived) break;
    if (historyGrown()) {
      await settled();
      // An Update that arrived meanwhile is answered in this run; its handler must finish first.
      await condition(() => queue.length > 0 || allHandlersFinished());
      if (queue.length) continue;
      return continueAsNew<typeof ticketWorkflow>({
        carried: { state, log: recent, pending: [], seen },
        ...(input.options && { options: input.options }),
      });
    }
    const wake = minuteRule ? wakeAt(state) : (nextDeadline(state)?.at ?? null);
    const wait = wake === null ? undefined : wake - now();
    if (wait !== undefined && wait <= 0) continue;
    await condition(() => queue.length > 0, wait);
  }
  // Archived: Updates that were waiting get the refusal the rules give; nothing more is recorded.
  for (const { command, answer } of queue.splice(0)) {
    const decision = decide(state, command, now());
    if (answer && !decision.ok) answer.reject(refused(decision.refusal));
  }
  await settled();
  await condition(allHandlersFinished);
  return { id: state.id, status: state.status, statusReason: state.statusReason, seq: state.seq };
}
