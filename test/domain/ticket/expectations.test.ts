import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario } from '../../../cli/simulate';
import { firstDifference, simulate, unmetExpectations } from '../../../domain';

const scenarioOf = (file: string) =>
  parseScenario(JSON.parse(readFileSync(join(__dirname, '../../../examples', file), 'utf8')));

describe('comparing two runs of a scenario (the parity of the engines)', () => {
  it('agrees with itself', () => {
    const run = simulate(scenarioOf('primorye/no-response.json'));
    expect(firstDifference(run, run, ['a', 'b'])).toBeNull();
  });

  it('п. 3.5: names the first diverging event, with both sides (a reply in time avoids the rejection)', () => {
    const silent = simulate(scenarioOf('primorye/no-response.json'));
    const base = scenarioOf('primorye/no-response.json');
    const answered = simulate({
      ...base,
      steps: [...base.steps, { at: '2025-03-10T14:00:00+10:00', command: 'reply', args: { text: 'Вот' } }],
    });
    expect(firstDifference(silent, answered, ['silent', 'answered'])).toBe(
      'event 6: silent has «rejected» at 2025-03-10T15:00:00+10:00 (rejected, by system, reason=no_feedback); ' +
        'answered has «messageReceived» at 2025-03-10T14:00:00+10:00 (awaiting_reply, by initiator)',
    );
  });

  it('expectations: the outcome, a deadline and an event in order, each instant to the minute', () => {
    const run = simulate(scenarioOf('primorye/no-response.json'));
    expect(
      unmetExpectations(run, {
        status: 'rejected',
        deadlines: { noResponse: '2025-03-10T15:00:59+10:00' },
        events: [
          { event: 'initiatorReminded', at: '2025-03-07T15:00+10:00' },
          { event: 'rejected', at: '2025-03-10T05:00Z' },
        ],
      }),
    ).toEqual([]);
    expect(
      unmetExpectations(run, {
        status: 'done',
        events: [
          { event: 'rejected', at: '2025-03-10T15:00+10:00' },
          { event: 'initiatorReminded', at: '2025-03-07T15:00+10:00' },
        ],
      }),
    ).toEqual([
      'status is rejected, expected done',
      'event not found after the previous one: event=initiatorReminded at=2025-03-07T15:00+10:00',
    ]);
  });
});
