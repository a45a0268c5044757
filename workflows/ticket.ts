/**
 * One durable workflow per ticket. It only routes: signals and timers go into the domain's pure
 * runtime, the resulting events go to activities (read model, mail). Every decision is in domain/.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  type SignalDefinition,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { TicketActivities } from '../activities';
import {
  advanceTo,
  applyCommand,
  nextDeadline,
  notificationsFor,
  openTicket,
  ticketIndex,
  ticketView,
  type Applied,
  type TicketEvent,
  type TicketState,
} from '../domain';
import {
  commandSignals,
  searchAttributes,
  ticketQuery,
  type QueuedCommand,
  type TicketWorkflowInput,
  type TicketWorkflowResult,
} from './messages';

// The read model must not lose an event: retry for as long as the database is away.
const { recordTicket } = proxyActivities<TicketActivities>({
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

export async function ticketWorkflow(input: TicketWorkflowInput): Promise<TicketWorkflowResult> {
  const queue: QueuedCommand[] = [...(input.carried?.pending ?? []), ...(input.initialCommands ?? [])];
  const seen: string[] = [...(input.carried?.seen ?? [])];
  let state: TicketState;
  let recent: TicketEvent[] = [...(input.carried?.log ?? [])];
  let opened: Applied | null = null;
  if (input.carried) {
    state = input.carried.state;
  } else {
    try {
      opened = openTicket(input.open!);
    } catch (e) {
      throw ApplicationFailure.nonRetryable(
        `cannot open ticket: ${(e as Error).message}`,
        'InvalidTicketInput',
      );
    }
    state = opened.state;
  }

  for (const [type, signal] of Object.entries(commandSignals)) {
    // Handlers only enqueue; the loop below decides, in order.
    setHandler(signal as SignalDefinition<[object]>, (payload: object) => {
      queue.push({ ...payload, type } as QueuedCommand);
    });
  }
  setHandler(ticketQuery, () => ticketView(state, recent, Date.now()));

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

  // Effects run in the background, each chain in order, so the ticket keeps deciding (signals, SLA
  // timers) while a database or mail server is away. Mail waits for the persistence of its events:
  // the read model never lags behind what a person was told.
  let persisted: Promise<void> = Promise.resolve();
  let mailed: Promise<void> = Promise.resolve();
  const settled = (): Promise<unknown> => Promise.all([persisted, mailed]);

  const commit = (applied: Applied): void => {
    state = applied.state;
    if (!applied.events.length) return;
    recent = [...recent, ...applied.events].slice(-LOG_LIMIT);
    const snapshot = state;
    const events = applied.events;
    persisted = persisted.then(() => recordTicket({ state: snapshot, events }));
    index();
    const mails = events.flatMap((event) => notificationsFor(event, snapshot));
    if (!mails.length) return;
    const after = persisted;
    mailed = Promise.all([mailed, after]).then(async () => {
      for (const mail of mails) {
        try {
          await sendMail(mail);
        } catch (e) {
          // Recorded as failed by the activity; the ticket goes on.
          log.warn('mail not delivered', { key: mail.key, error: (e as Error).message });
        }
      }
    });
  };

  if (opened) commit(opened);
  else index();

  for (;;) {
    commit(advanceTo(state, Date.now()));
    const command = queue.shift();
    if (command) {
      if (command.commandId) {
        if (seen.includes(command.commandId)) continue;
        seen.push(command.commandId);
        if (seen.length > SEEN_LIMIT) seen.shift();
      }
      commit(applyCommand(state, command, Date.now()));
      continue;
    }
    if (state.archived) break;
    const info = workflowInfo();
    if (
      info.continueAsNewSuggested ||
      info.historyLength > (input.options?.historyBudget ?? HISTORY_BUDGET)
    ) {
      await settled();
      await condition(allHandlersFinished);
      return continueAsNew<typeof ticketWorkflow>({
        carried: { state, log: recent, pending: queue, seen },
        ...(input.options && { options: input.options }),
      });
    }
    const next = nextDeadline(state);
    const wait = next ? next.at - Date.now() : undefined;
    if (wait !== undefined && wait <= 0) continue;
    await condition(() => queue.length > 0, wait);
  }
  await settled();
  await condition(allHandlersFinished);
  return { id: state.id, status: state.status, statusReason: state.statusReason, seq: state.seq };
}
