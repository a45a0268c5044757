/**
 * What registering a request requires under a regulation, as its module's `register` checks it: the
 * operator's registration form (the console's live check) asks the domain instead of keeping a copy.
 */
import { regulationModule, resolveRegulation } from '../regulations';
import type { FieldRequirement, RegulationRef } from '../regulations/types';
import type { Channel } from './types';

/** The fields a request of `requestType` received by `channel` must carry to be registered. */
export function registrationFields(
  ref: RegulationRef,
  requestType: string,
  channel: Channel,
): readonly FieldRequirement[] {
  const fields = regulationModule(ref.id).registrationFields;
  return fields ? fields(resolveRegulation(ref), requestType, channel) : [];
}
