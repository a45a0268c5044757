export * from './types';
export { decide } from './decide';
export { availableActions, type ActionAvailability } from './actions';
export { roleRefusal, actorRefusal } from './permissions';
export { evolve, initialState } from './evolve';
export {
  nextDeadline,
  pendingTimers,
  clockViews,
  deadlines,
  type ClockView,
  type NextDeadline,
} from './deadlines';
export {
  openTicket,
  openWithCommands,
  applyCommand,
  advanceTo,
  fold,
  InvalidTicketInput,
  type OpenTicketInput,
  type Applied,
} from './runtime';
export { isPaused, isRunning } from './clocks';
export { missingFields, mergeIntake, invalidFields, listLabels } from './intake';
export { COMMAND_LABELS, statusLabel, typeLabel, lineLabel } from './labels';
export {
  simulate,
  type Scenario,
  type ScenarioStep,
  type SimulationResult,
  type TimelineEntry,
} from './simulate';
export { ticketIndex, ticketView, type TicketIndex, type TicketView } from './view';
