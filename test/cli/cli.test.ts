import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../cli/main';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new Capture();
  const err = new Capture();
  const code = await main(argv, out, err);
  return { code, out: out.text, err: err.text };
}

const examples = join(__dirname, '../../examples');

describe('reglament sla due', () => {
  it('п. 3.1.2: prints the incident deadline in the regulation zone’s offset, one line', async () => {
    expect(
      await cli(
        'sla',
        'due',
        '--regulation',
        'primorye',
        '--type',
        'incident',
        '--start',
        '2024-12-27T17:30:00+10:00',
      ),
    ).toEqual({
      code: 0,
      out: '2025-01-16T14:30:00+10:00\n',
      err: '',
    });
  });

  it('--hours gives any target; a start without offset is read in the regulation’s zone', async () => {
    expect(
      (await cli('sla', 'due', '--regulation', 'primorye', '--hours', '3', '--start', '2025-03-03T16:00'))
        .out,
    ).toBe('2025-03-04T10:00:00+10:00\n');
    expect(
      (await cli('sla', 'due', '--regulation', 'epgu', '--hours', '3', '--start', '2025-03-03T16:00')).out,
    ).toBe('2025-03-04T10:00:00+03:00\n');
  });

  it('issue #20: a 2028 date is answered provisionally from the Labour Code, and says so', async () => {
    // 1–8 January 2028 are holidays by ст. 112 ТК РФ; no decree for 2028 is loaded.
    expect(
      (await cli('sla', 'due', '--regulation', 'primorye', '--hours', '3', '--start', '2027-12-30T17:00'))
        .out,
    ).toBe('2028-01-10T11:00:00+10:00 (предварительный срок: календарь 2028 года не загружен, по ТК РФ)\n');
  });

  it('--working-days, with --end-of-day and --time-zone', async () => {
    expect(
      (
        await cli(
          'sla',
          'due',
          '--regulation',
          'epgu',
          '--working-days',
          '3',
          '--start',
          '2025-06-09T12:00:00+03:00',
        )
      ).out,
    ).toBe('2025-06-16T12:00:00+03:00\n');
    expect(
      (
        await cli(
          'sla',
          'due',
          '--regulation',
          'epgu',
          '--working-days',
          '1',
          '--end-of-day',
          '--time-zone',
          'Asia/Yekaterinburg',
          '--start',
          '2025-06-09T12:00',
        )
      ).out,
    ).toBe('2025-06-10T18:00:00+05:00\n');
  });

  it.each([
    [['sla', 'due', '--regulation', 'primorye', '--type', 'incident'], /--start is required/],
    [
      ['sla', 'due', '--regulation', 'nowhere', '--type', 'incident', '--start', '2025-01-09T10:00'],
      /unknown regulation "nowhere"/,
    ],
    [
      ['sla', 'due', '--regulation', 'primorye', '--type', 'bug', '--start', '2025-01-09T10:00'],
      /"bug" is not a request type/,
    ],
    [
      ['sla', 'due', '--regulation', 'primorye', '--type', 'change', '--start', '2025-01-09T10:00'],
      /no fixed deadline for "change"/,
    ],
    [
      ['sla', 'due', '--regulation', 'primorye', '--hours=-2', '--start', '2025-01-09T10:00'],
      /--hours must be a positive number/,
    ],
    [
      [
        'sla',
        'due',
        '--regulation',
        'primorye',
        '--hours',
        '2',
        '--type',
        'incident',
        '--start',
        '2025-01-09T10:00',
      ],
      /exactly one of/,
    ],
    [['sla', 'due', '--regulation', 'primorye', '--hours', '2', '--start', 'yesterday'], /not an ISO 8601/],
    [
      ['sla', 'due', '--regulation', 'primorye', '--hours', '2', '--start', '2035-01-09T10:00'],
      /outside the production calendar/,
    ],
    [['sla', 'due', '--regulation', 'primorye', '--frobnicate'], /Unknown option '--frobnicate'/],
    [['sla', 'soon'], /--regulation is required|unknown sla command/],
    [['launch'], /unknown command "launch"/],
  ])('bad arguments %j exit 2 with a clear message', async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.out).toBe('');
  });
});

describe('reglament sla worktime', () => {
  it('prints the working minutes between two instants', async () => {
    expect(
      (
        await cli(
          'sla',
          'worktime',
          '--regulation',
          'primorye',
          '--from',
          '2025-03-03T16:00:00+10:00',
          '--to',
          '2025-03-04T10:00:00+10:00',
        )
      ).out,
    ).toBe('180\n');
  });
});

describe('reglament simulate', () => {
  it('п. 3.5: the no-response example ends rejected with the reason and the full timeline', async () => {
    const r = await cli('simulate', join(examples, 'primorye', 'no-response.json'));
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out);
    expect(result).toMatchObject({ status: 'rejected', reason: 'no_feedback', statusLabel: 'Отклонена' });
    expect(result.timeline.map((e: { event: string; status: string }) => `${e.event}:${e.status}`)).toEqual([
      'received:received',
      'registered:new',
      'assigned:in_progress',
      'infoRequested:awaiting_reply',
      'initiatorReminded:awaiting_reply',
      'rejected:rejected',
    ]);
    expect(result.deadlines).toMatchObject({
      registration: '2025-03-06T14:00:00+10:00',
      noResponse: '2025-03-10T15:00:00+10:00',
      resolution: '2025-03-18T16:20:00+10:00',
    });
  });

  it('every shipped example runs', async () => {
    const files = readdirSync(examples, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.json'),
    );
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const f of files) {
      const r = await cli('simulate', join(examples, f));
      expect({ f, code: r.code, err: r.err }).toEqual({ f, code: 0, err: '' });
      expect(JSON.parse(r.out).timeline.length).toBeGreaterThan(2);
    }
  });

  it.each([
    [{ regulation: 'primorye' }, /scenario: ticket/],
    [{ regulation: 'x', ticket: {}, steps: [] }, /scenario: regulation must be one of: primorye, epgu/],
    [
      {
        regulation: 'primorye',
        ticket: { channel: 'email', receivedAt: '2025-03-03T10:00:00+10:00', initiator: {} },
        steps: [{ at: '2025-03-03T11:00:00+10:00', command: 'teleport' }],
      },
      /scenario: steps.0.command/,
    ],
    [
      {
        regulation: 'primorye',
        ticket: { channel: 'email', receivedAt: '2025-03-03T10:00:00+10:00', initiator: {} },
        steps: [{ at: '2025-03-02T11:00:00+10:00', command: 'register' }],
      },
      /in time order/,
    ],
    [
      {
        regulation: 'primorye',
        ticket: { channel: 'email', receivedAt: '2025-03-03T10:00', initiator: {} },
        steps: [],
      },
      /with an offset/,
    ],
    // Issue #20: a calendar loaded mid-scenario is checked as an import is.
    [
      {
        regulation: 'primorye',
        ticket: { channel: 'email', receivedAt: '2027-12-27T10:00:00+10:00', initiator: {} },
        steps: [
          {
            at: '2027-12-29T12:00:00+10:00',
            command: 'calendar',
            years: { 2028: { holidays: ['2028-02-30'], workingWeekends: [], shortDays: [] } },
          },
        ],
      },
      /scenario: steps\.0 calendar: .*2028-02-30/,
    ],
  ])('a bad scenario exits 2: %j', async (doc, message) => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'reglament-')), 'scenario.json');
    writeFileSync(file, JSON.stringify(doc));
    const r = await cli('simulate', file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('a missing file and broken JSON exit 2', async () => {
    expect(await cli('simulate', '/nonexistent/scenario.json')).toMatchObject({
      code: 2,
      err: expect.stringContaining('ENOENT'),
    });
    expect((await cli('simulate')).code).toBe(2);
  });
});

describe('the installed binary', () => {
  it('runs as `reglament` through bin/reglament.js', async () => {
    const bin = join(__dirname, '../../bin/reglament.js');
    const run = (args: string[]) =>
      new Promise<{ code: number; out: string; err: string }>((resolve) => {
        execFile(process.execPath, [bin, ...args], (error, out, err) =>
          resolve({ code: error ? Number(error.code) : 0, out, err }),
        );
      });
    expect(
      await run([
        'sla',
        'due',
        '--regulation',
        'primorye',
        '--type',
        'service',
        '--start',
        '2025-03-03T10:30:00+10:00',
      ]),
    ).toEqual({
      code: 0,
      out: '2025-03-04T17:30:00+10:00\n',
      err: '',
    });
    expect((await run(['sla', 'due'])).code).toBe(2);
  }, 30_000);
});

describe('help for every command', () => {
  it('`keys --help` and `tickets --help` print their usage (exit 0); unknown subcommands exit 2', async () => {
    expect(await cli('keys', '--help')).toMatchObject({
      code: 0,
      out: expect.stringContaining('keys create --role'),
    });
    expect(await cli('tickets', '--help')).toMatchObject({
      code: 0,
      out: expect.stringContaining('tickets restore --all-missing'),
    });
    expect((await cli('keys', 'rotate')).code).toBe(2);
    expect((await cli('tickets', 'delete')).code).toBe(2);
  });
});

describe('reglament simulate --check: testers’ regression packs', () => {
  it('runs every scenario of a folder against its `expect` and counts them (one pack per regulation)', async () => {
    const r = await cli('simulate', '--check', examples);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^ok {3}.*primorye[/\\]no-response\.json$/m);
    const files = readdirSync(examples, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.json'),
    );
    expect(r.out.trim().split('\n').at(-1)).toBe(`${files.length} passed, 0 failed (pure engine)`);
  });

  it('п. 3.5: an expectation the run does not meet fails, naming what was there instead (exit 1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reglament-pack-'));
    const scenario = JSON.parse(readFileSync(join(examples, 'primorye', 'no-response.json'), 'utf8'));
    scenario.expect = {
      status: 'rejected',
      // The regulation says 2 working days: Monday 15:00, not Friday.
      events: [{ event: 'rejected', at: '2025-03-07T15:00+10:00' }],
    };
    writeFileSync(join(dir, 'wrong.json'), JSON.stringify(scenario));
    const r = await cli('simulate', '--check', dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain('FAIL');
    expect(r.out).toContain('event not found: event=rejected at=2025-03-07T15:00+10:00');
    expect(r.out).toContain('there is event=rejected at=2025-03-10T15:00:00+10:00');
    expect(r.out.trim().split('\n').at(-1)).toBe('0 passed, 1 failed (pure engine)');
  });

  it('the temporal engine without a server says how to get one (exit 2)', async () => {
    const saved = process.env.TEMPORAL_TEST_SERVER_PATH;
    process.env.TEMPORAL_TEST_SERVER_PATH = '/nonexistent/temporal-test-server';
    try {
      const r = await cli('simulate', '--engine', 'temporal', join(examples, 'primorye', 'no-response.json'));
      expect(r.code).toBe(2);
      expect(r.err).toContain('TEMPORAL_TEST_SERVER_PATH');
      expect(r.err).toContain('TEMPORAL_ADDRESS');
    } finally {
      if (saved === undefined) delete process.env.TEMPORAL_TEST_SERVER_PATH;
      else process.env.TEMPORAL_TEST_SERVER_PATH = saved;
    }
  }, 30_000);

  it('an unknown engine is a usage error', async () => {
    expect(
      (await cli('simulate', '--engine', 'quantum', join(examples, 'primorye', 'no-response.json'))).code,
    ).toBe(2);
  });
});
