/**
 * Testers' scenarios on the real workflow (issue #13): every scenario under examples/ runs through
 * both engines — the pure rules with a virtual clock, and the ticket workflow on the time-skipping
 * server with the real activities — and the two lives must be the same: events with their instants
 * to the minute and the status after each, deadlines, mail, the outcome. A difference names the first
 * diverging event. Each scenario's `expect` must hold on the workflow too.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openTemporalSession, simulateOnTemporal, type TemporalSession } from '../../cli/temporalEngine';
import { readScenarioFile } from '../../cli/simulate';
import { firstDifference, simulate, unmetExpectations } from '../../domain';
import { testDatabase } from '../support/database';
import { describeWithTimeSkipping } from './support';

const EXAMPLES = join(__dirname, '../../examples');
const scenarios = readdirSync(EXAMPLES, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.json'))
  .sort();

describeWithTimeSkipping('one scenario, two engines, the same life (examples/)', () => {
  let session: TemporalSession;
  let db: Awaited<ReturnType<typeof testDatabase>>;

  beforeAll(async () => {
    db = await testDatabase();
    session = await openTemporalSession({ databaseUrl: db.url });
  }, 120_000);

  afterAll(async () => {
    await session?.close();
    await db?.drop();
  }, 60_000);

  it('finds the scenarios', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(10);
  });

  it.each(scenarios)(
    '%s',
    async (file) => {
      const { scenario, expect: expected } = readScenarioFile(join(EXAMPLES, file));
      const pure = simulate(scenario);
      const workflow = await simulateOnTemporal(session, scenario);
      expect(firstDifference(pure, workflow, ['pure', 'workflow'])).toBeNull();
      if (expected) expect(unmetExpectations(workflow, expected)).toEqual([]);
    },
    120_000,
  );
});
