export * from './types';
export { decide, preconditionRefusal } from './decide';
export { availableActions, type ActionAvailability } from './actions';
export { roleRefusal, lineRefusal, actorRefusal } from './permissions';
export { evolve, initialState } from './evolve';
export {
  nextDeadline,
  pendingTimers,
  clockViews,
  deadlines,
  provisionalDeadlines,
  type ClockView,
  type NextDeadline,
} from './deadlines';
export {
  openTicket,
  openWithCommands,
  applyCommand,
  advanceTo,
  advanceBefore,
  receive,
  wakeAt,
  fold,
  InvalidTicketInput,
  type OpenTicketInput,
  type Applied,
} from './runtime';
export { isPaused, isRunning } from './clocks';
export { missingFields, mergeIntake, invalidFields, listLabels, localDate } from './intake';
export { registrationFields } from './registration';
export { COMMAND_LABELS, statusLabel, typeLabel, lineLabel } from './labels';
export {
  simulate,
  calendarCommandOf,
  arrivesByMail,
  endOfMinute,
  localDeadlines,
  SIMULATION_MAILBOXES,
  timelineOf,
  type Scenario,
  type ScenarioStep,
  type SimulationResult,
  type TimelineEntry,
} from './simulate';
export {
  firstDifference,
  sameMinute,
  unmetExpectations,
  type ScenarioExpectation,
  type ScenarioRun,
  type SimulatedMail,
} from './expectations';
export {
  ticketIndex,
  ticketView,
  attentionOf,
  AWAITING_OPERATOR,
  type TicketIndex,
  type TicketView,
} from './view';
export {
  defineRegulation,
  type Attention,
  type Audience,
  type CommandOf,
  type CommandRule,
  type CommandTable,
  type Guard,
  type MailCtx,
  type MailSpec,
  type MailTemplate,
  type MailTemplates,
  type OpenPlan,
  type OpenRequest,
  type RegulationModule,
} from './module';
export * as kit from './kit';
