import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  CalendarRangeError,
  InvalidTicketInput,
  isRegulationId,
  latestRegulation,
  OPERATOR_COMMANDS,
  parseCalendarFile,
  REGULATION_IDS,
  RU_PRODUCTION_CALENDAR,
  simulate,
  unmetExpectations,
  type Scenario,
  type ScenarioExpectation,
  type ScenarioRun,
} from '../domain';
import type * as TemporalEngine from './temporalEngine';
import { UsageError } from './usage';

const instant = z.string().refine((s) => /[zZ]|[+-]\d{2}:?\d{2}$/.test(s) && Number.isFinite(Date.parse(s)), {
  message: 'must be an ISO 8601 date-time with an offset, e.g. 2024-12-27T17:30:00+10:00',
});

const actor = z.object({
  kind: z.enum(['operator', 'initiator', 'system']),
  id: z.string().optional(),
  name: z.string().optional(),
  role: z.string().optional(),
  email: z.string().optional(),
});

const scenarioSchema = z.object({
  regulation: z.string().refine(isRegulationId, { message: `must be one of: ${REGULATION_IDS.join(', ')}` }),
  version: z.string().optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
  ticket: z.object({
    id: z.string().optional(),
    type: z.string().optional(),
    channel: z.enum(['email', 'phone']),
    receivedAt: instant,
    subject: z.string().optional(),
    description: z.string().optional(),
    // Seed 000 п. 2.3.1.9, 2.3.1.10, 2.3.1.12
    expectedResult: z.string().optional(),
    actualResult: z.string().optional(),
    initiator: z.record(z.string(), z.unknown()),
    access: z
      .object({
        kind: z.enum(['grant', 'change', 'deactivation']),
        targetUser: z.string().optional(),
        targetOrganizationId: z.string().optional(),
      })
      .optional(),
    authorization: z
      .object({
        verified: z.boolean(),
        personId: z.string().optional(),
        organizationId: z.string().optional(),
        method: z.string().optional(),
      })
      .optional(),
  }),
  steps: z.array(
    z.discriminatedUnion('command', [
      z.object({
        at: instant,
        command: z.enum(OPERATOR_COMMANDS as unknown as [string, ...string[]]),
        args: z.record(z.string(), z.unknown()).optional(),
        by: actor.optional(),
      }),
      // Issue #20: a production calendar version loaded mid-scenario: the years it brings or corrects,
      // in the project's JSON calendar format, on top of the built-in ones.
      z.strictObject({
        at: instant,
        command: z.literal('calendar'),
        years: z.record(z.string(), z.unknown()),
        decree: z.string().optional(),
        version: z.string().optional(),
      }),
    ]),
  ),
  until: instant.optional(),
  /** What must happen, for `--check` (domain/ticket/expectations.ts). */
  expect: z
    .object({
      status: z.string().optional(),
      reason: z.string().nullable().optional(),
      events: z
        .array(z.object({ event: z.string(), at: instant.optional() }).catchall(z.unknown()))
        .optional(),
      mail: z
        .array(
          z
            .object({ template: z.string(), at: instant.optional(), to: z.string().optional() })
            .catchall(z.unknown()),
        )
        .optional(),
      deadlines: z.record(z.string(), instant.nullable()).optional(),
    })
    .strict()
    .optional(),
});

function readScenario(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (e) {
    throw new UsageError(
      `cannot read scenario "${path}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`scenario "${path}" is not valid JSON: ${(e as Error).message}`);
  }
}

/** Validates a scenario document and turns it into the domain's Scenario. */
export function parseScenario(doc: unknown): Scenario {
  const parsed = scenarioSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`scenario: ${issue.path.join('.') || '(root)'} ${issue.message}`);
  }
  const s = parsed.data;
  const times = [s.ticket.receivedAt, ...s.steps.map((x) => x.at), ...(s.until ? [s.until] : [])].map(
    Date.parse,
  );
  times.forEach((t, i) => {
    if (i > 0 && t < times[i - 1]!)
      throw new UsageError(`scenario: steps must be in time order (step ${i} goes back in time)`);
  });
  const {
    type,
    channel,
    receivedAt,
    id,
    access,
    authorization,
    subject,
    description,
    expectedResult,
    actualResult,
    initiator,
  } = s.ticket;
  return {
    regulation: {
      id: s.regulation as Scenario['regulation']['id'],
      version: s.version ?? latestRegulation(s.regulation as Scenario['regulation']['id']).version,
      ...(s.settings && { settings: s.settings }),
    },
    ticket: {
      ...(id && { id }),
      ...(type && { requestType: type }),
      channel,
      receivedAt,
      intake: {
        initiator,
        ...(subject && { subject }),
        ...(description && { description }),
        ...(expectedResult && { expectedResult }),
        ...(actualResult && { actualResult }),
        ...(access && { access }),
        ...(authorization && { authorization }),
      },
    },
    steps: s.steps.map((step, i) => ('years' in step ? calendarStep(step, i) : step)) as Scenario['steps'],
    ...(s.until && { until: s.until }),
  };
}

/**
 * A calendar step's years, checked as an import checks them (one error per bad line of the file), as a
 * new version of the federal calendar: the built-in years with these on top.
 */
function calendarStep(
  step: { at: string; years: Record<string, unknown>; decree?: string; version?: string },
  index: number,
): Scenario['steps'][number] {
  const parsed = parseCalendarFile(JSON.stringify({ calendar: 'ru', years: step.years }, null, 2), 'json');
  if (parsed.errors.length)
    throw new UsageError(
      `scenario: steps.${index} calendar: ${parsed.errors.map((e) => e.message).join('; ')}`,
    );
  const years = { ...RU_PRODUCTION_CALENDAR.years, ...parsed.years };
  const numbers = Object.keys(years).map(Number);
  const firstYear = Math.min(...numbers);
  const lastYear = Math.max(...numbers);
  return {
    at: step.at,
    command: 'calendar',
    calendar: {
      id: RU_PRODUCTION_CALENDAR.id,
      version: step.version ?? `ru-${firstYear}-${lastYear}.scenario`,
      firstYear,
      lastYear,
      years,
    },
    ...(step.decree && { decree: step.decree }),
  };
}

/** A scenario file as testers keep them: the scenario and what it expects. */
export function readScenarioFile(path: string): { scenario: Scenario; expect: ScenarioExpectation | null } {
  const doc = readScenario(path);
  const expect = (doc as { expect?: ScenarioExpectation } | null)?.expect ?? null;
  return { scenario: parseScenario(doc), expect };
}

export type Engine = 'pure' | 'temporal';

/** Runs scenarios through one engine; the temporal one opens its server and database once. */
async function withEngine<T>(
  engine: Engine,
  work: (run: (scenario: Scenario) => Promise<ScenarioRun & Record<string, unknown>>) => Promise<T>,
): Promise<T> {
  if (engine === 'pure') {
    return work(async (scenario) => {
      const { state: _state, ...result } = simulatePure(scenario);
      return result;
    });
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const temporal = require('./temporalEngine') as typeof TemporalEngine;
  const session = await temporal.openTemporalSession();
  try {
    return await work((scenario) => temporal.simulateOnTemporal(session, scenario));
  } finally {
    await session.close();
  }
}

function simulatePure(scenario: Scenario) {
  try {
    return simulate(scenario);
  } catch (e) {
    if (e instanceof CalendarRangeError || e instanceof InvalidTicketInput || e instanceof RangeError) {
      throw new UsageError(`scenario: ${(e as Error).message}`);
    }
    throw e;
  }
}

/** The scenario files of `--check`: a file, or every .json of a folder and its sub-folders. */
function scenarioFiles(path: string): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch (e) {
    throw new UsageError(
      `cannot read "${path}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  if (!stat.isDirectory()) return [path];
  return readdirSync(path, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(path, f));
}

/**
 * `reglament simulate [--engine pure|temporal] <scenario.json | ->`: the scenario's life as JSON.
 * `reglament simulate [--engine …] --check <file | folder>`: each scenario's `expect`, «N passed, N failed».
 */
export async function simulateCommand(argv: string[]): Promise<{ output: string; code: number }> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { engine: { type: 'string', default: 'pure' }, check: { type: 'string' } },
    strict: true,
    allowPositionals: true,
  });
  const engine = values.engine as Engine;
  if (engine !== 'pure' && engine !== 'temporal')
    throw new UsageError(`--engine is pure (the rules with a virtual clock) or temporal (the real workflow)`);
  if (values.check !== undefined) {
    if (positionals.length) throw new UsageError('--check takes a file or a folder, and nothing else');
    const files = scenarioFiles(values.check);
    if (!files.length) throw new UsageError(`no scenario (.json) in ${values.check}`);
    return withEngine(engine, async (run) => {
      const lines: string[] = [];
      let failed = 0;
      for (const file of files) {
        const { scenario, expect } = readScenarioFile(file);
        if (!expect) {
          lines.push(`skip ${file}: no "expect"`);
          continue;
        }
        const failures = unmetExpectations(await run(scenario), expect);
        if (failures.length) failed++;
        lines.push(
          failures.length ? `FAIL ${file}\n${failures.map((f) => `  - ${f}`).join('\n')}` : `ok   ${file}`,
        );
      }
      const checked = lines.filter((l) => !l.startsWith('skip')).length;
      lines.push(`${checked - failed} passed, ${failed} failed (${engine} engine)`);
      return { output: lines.join('\n'), code: failed ? 1 : 0 };
    });
  }
  if (positionals.length !== 1)
    throw new UsageError('simulate needs exactly one argument: a scenario file, or - for standard input');
  const { scenario } = readScenarioFile(positionals[0]!);
  return withEngine(engine, async (run) => ({
    output: JSON.stringify(await run(scenario), null, 2),
    code: 0,
  }));
}
