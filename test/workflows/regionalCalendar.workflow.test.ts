/**
 * Issue #20 «a regional day off changes only that region's tickets», on the real workflow: tickets
 * opened through openReadable (the lifecycle the API and the mail use) against a Temporal server, a
 * regional calendar (its own days on top of «ru») and then a federal one stored by importCalendar and
 * delivered by deliverCalendarVersion, as `reglament calendar import` and POST /calendars/import do.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { importCalendar } from '../../db/repositories/calendars';
import { currentRef, parseCalendarFile, type Actor } from '../../domain';
import { deliverCalendarVersion } from '../../worker/calendarFanOut';
import { forgetCurrentCalendar, openReadable } from '../../workflows/lifecycle';
import { createEnvironment, describeWithTemporal, eventually, startApiStack, type ApiStack } from './support';
import { incidentIntake } from '../fixtures/incident';

const FIXTURES = join(__dirname, '../fixtures/calendars');
const operator: Actor = { kind: 'operator', id: 'op1', name: 'Оператор', role: 'first_line' };
const DAY = 86_400_000;

describeWithTemporal('ticket workflows and regional calendar versions (issue #20)', () => {
  let env: TestWorkflowEnvironment;
  let stack: ApiStack;

  beforeAll(async () => {
    env = await createEnvironment();
    stack = await startApiStack(env);
    forgetCurrentCalendar();
  });

  afterAll(async () => {
    forgetCurrentCalendar();
    await stack?.stop();
    await env?.teardown();
  });

  // Mon 27.12.2027 10:00 in Vladivostok, reached through the workflow's clock offset.
  const receivedAt = '2027-12-27T00:00:00.000Z';

  async function incident(id: string, calendar?: string): Promise<void> {
    const offset = Date.parse(receivedAt) - (await env.currentTimeMs());
    await openReadable(stack.db.db, stack.gateway, {
      openedAt: receivedAt,
      options: { clockOffsetMs: offset },
      open: {
        ticketId: id,
        regulation: currentRef('primorye', calendar ? { calendar } : undefined),
        channel: 'phone',
        receivedAt,
        requestType: 'incident',
        intake: incidentIntake,
      },
      initialCommands: [
        {
          type: 'register',
          by: operator,
          assignee: { id: 'iv', name: 'Иванов' },
          commandId: `${id}:register`,
        },
      ],
    });
  }

  const state = (id: string) => stack.gateway.view(id);
  const resolutionDue = async (id: string) => Date.parse((await state(id)).deadlines.resolution!);
  const calendarNotes = async (id: string) =>
    (await state(id)).log
      .filter((e) => e.type === 'calendarChanged')
      .map((e) => (e as { note: string }).note);

  async function load(file: string, calendar: string): Promise<void> {
    const parsed = parseCalendarFile(readFileSync(join(FIXTURES, file), 'utf8'), undefined, {
      extension: calendar !== 'ru',
    });
    await importCalendar(stack.db.db, { calendar, parsed, decree: `${calendar} (тест)`, loadedBy: 'test' });
    forgetCurrentCalendar();
    const result = await deliverCalendarVersion(stack.db.db, stack.gateway, calendar);
    expect(result).toMatchObject({ missing: [], failed: [] });
  }

  it('a regional import moves only its region’s ticket; a federal import moves both, the regional one with its day', async () => {
    const suffix = Date.now();
    const federal = `ID-RC-F-${suffix}`;
    const regional = `ID-RC-R-${suffix}`;
    await incident(federal);
    await incident(regional, 'ru-tatarstan');
    const f0 = await eventually(() => resolutionDue(federal), Number.isFinite);
    const r0 = await eventually(() => resolutionDue(regional), Number.isFinite);
    expect(r0).toBe(f0);

    await load('ru-tatarstan-test.json', 'ru-tatarstan'); // Wed 29.12.2027 a regional day off (test data)
    const notes = await eventually(
      () => calendarNotes(regional),
      (n) => n.length === 1,
    );
    expect(notes).toEqual([
      'Срок пересчитан: производственный календарь 2027 (постановление ru-tatarstan (тест))',
    ]);
    // One working day later for the region (the target is in working hours, seed 000 п. 3.1.2).
    expect(await resolutionDue(regional)).toBe(r0 + DAY);
    expect(await resolutionDue(federal)).toBe(f0);
    expect(await calendarNotes(federal)).toEqual([]);

    await load('ru-2028-test.json', 'ru'); // 10 January 2028 a federal day off (test data)
    await eventually(
      () => calendarNotes(federal),
      (n) => n.length === 1,
    );
    await eventually(
      () => calendarNotes(regional),
      (n) => n.length === 2,
    );
    expect(await resolutionDue(federal)).toBe(f0 + DAY);
    expect(await resolutionDue(regional)).toBe(r0 + 2 * DAY);
  });
});
