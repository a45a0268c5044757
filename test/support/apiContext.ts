/** The API's context as every test stack builds it: both regulations, primorye the default, no logs. */
import type { ApiContext } from '../../api/context';
import { createMetrics } from '../../api/metrics';
import type { Database } from '../../db/client';

export function testApiContext(
  db: Database,
  gateway: ApiContext['gateway'],
  overrides: Partial<ApiContext> = {},
): ApiContext {
  return {
    db,
    gateway,
    now: Date.now,
    defaultRegulation: 'primorye',
    regulationSettings: { primorye: {}, epgu: {} },
    temporalLink: () => null,
    metrics: createMetrics(db, overrides.now ?? Date.now),
    dispatcher: null,
    log: () => undefined,
    ...overrides,
  };
}
