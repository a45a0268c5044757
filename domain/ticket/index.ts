export * from './types';
export { decide } from './decide';
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
  applyCommand,
  advanceTo,
  fold,
  InvalidTicketInput,
  type OpenTicketInput,
  type Applied,
} from './runtime';
export { missingFields, mergeIntake, invalidFields, listLabels } from './intake';
export { COMMAND_LABELS, statusLabel, typeLabel, lineLabel } from './labels';
