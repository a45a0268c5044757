/**
 * What a regulation module is built from (`import { kit } from 'domain'`): the context and events,
 * refusals and preconditions, and the behaviour the regulations share. See docs/regulations.md,
 * «Adding a regulation».
 */
export {
  accept,
  badAssignee,
  event,
  followUpStart,
  inStatus,
  isPerson,
  isRunningClock,
  isTerminal,
  missingText,
  notTerminal,
  nothing,
  outcomeOps,
  refusal,
  refuse,
  refused,
  stopIfRunning,
  systemEvent,
  wrongStatus,
  wrongStatusRefusal,
  type Ctx,
} from './decision';
export {
  askInitiator,
  comment,
  endWait,
  messageBody,
  messageText,
  noResponseOutcome,
  noResponseStart,
  obsceneFlag,
  outcome,
  resolutionStart,
  retargetResolution,
  setResolutionTarget,
  type Wait,
} from './rules';
export { newClock } from './clocks';
export { missingFields, mergeIntake, invalidFields, listLabels, localDate } from './intake';
export { workingDays, workingHours } from './module';
