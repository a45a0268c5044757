import { readFileSync } from 'node:fs';
import { z } from 'zod';
import {
  CalendarRangeError,
  InvalidTicketInput,
  isRegulationId,
  latestRegulation,
  OPERATOR_COMMANDS,
  REGULATION_IDS,
  simulate,
  type Scenario,
} from '../domain';
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
    z.object({
      at: instant,
      command: z.enum(OPERATOR_COMMANDS as unknown as [string, ...string[]]),
      args: z.record(z.string(), z.unknown()).optional(),
      by: actor.optional(),
    }),
  ),
  until: instant.optional(),
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
    steps: s.steps as Scenario['steps'],
    ...(s.until && { until: s.until }),
  };
}

export function simulateCommand(argv: string[]): string {
  if (argv.length !== 1)
    throw new UsageError('simulate needs exactly one argument: a scenario file, or - for standard input');
  const scenario = parseScenario(readScenario(argv[0]!));
  try {
    const { state: _state, ...result } = simulate(scenario);
    return JSON.stringify(result, null, 2);
  } catch (e) {
    if (e instanceof CalendarRangeError || e instanceof InvalidTicketInput || e instanceof RangeError) {
      throw new UsageError(`scenario: ${(e as Error).message}`);
    }
    throw e;
  }
}
