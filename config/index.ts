/**
 * Settings from the environment, validated once by each process's composition root (worker, API,
 * `npm start`). A bad value fails at start-up with the variable's name and what it should be.
 */
import { z } from 'zod';
import {
  currentRef,
  isRegulationId,
  normalizeEmail,
  resolveRegulation,
  type RegulationId,
  type RegulationSettings,
} from '../domain';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const list = z
  .string()
  .optional()
  .transform((s) =>
    (s ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

const emails = (name: string) =>
  list.superRefine((values, ctx) => {
    for (const v of values)
      if (!normalizeEmail(v))
        ctx.addIssue({ code: 'custom', message: `${name}: "${v}" is not an e-mail address` });
  });

const PORT = 'a port number (1–65535)';
const port = (fallback: number) =>
  z.coerce.number({ error: PORT }).int(PORT).min(1, PORT).max(65535, PORT).default(fallback);

/** The worker's capacity, chosen by `npm run bench:deadlines` (README) on a 2-core machine. */
export const WORKER_DEFAULTS = {
  maxCachedWorkflows: 10_000,
  workflowTasks: 40,
  activityTasks: 100,
} as const;

const schema = z.object({
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('reglament'),
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  TEMPORAL_UI_PORT: port(8233),
  /** Temporal UI of an external server, for links from tickets (the dev server's UI is known). */
  TEMPORAL_UI_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  /** Port of the embedded PostgreSQL (when DATABASE_URL is not set). */
  EMBEDDED_PG_PORT: port(54329),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Служба технической поддержки <support@reglament.local>'),
  REGLAMENT_INSTANCE: z
    .string()
    .regex(/^[a-z0-9-]{1,20}$/, 'lowercase letters, digits and dashes, up to 20')
    .default('r1'),
  MANAGER_EMAILS: emails('MANAGER_EMAILS'),
  REGIONAL_MAILBOX: emails('REGIONAL_MAILBOX'),
  FEDERAL_MAILBOX: emails('FEDERAL_MAILBOX'),
  /** JSON: per-regulation settings, e.g. {"epgu":{"timeZone":"Europe/Samara","resolutionHours":{"incident":40}}} */
  REGULATION_SETTINGS: z.string().optional(),
  DEFAULT_REGULATION: z.string().default('primorye'),
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: port(3000),
  /** Requests per minute per verified API key. */
  API_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
  /** Proxies to believe about the client's address (Express `trust proxy`): loopback, a hop count, addresses. */
  API_TRUST_PROXY: z.string().optional(),
  /** /metrics without a key on its own listener (e.g. for Prometheus on an internal interface). */
  METRICS_HOST: z.string().default('127.0.0.1'),
  METRICS_PORT: z.coerce.number({ error: PORT }).int(PORT).min(1, PORT).max(65535, PORT).optional(),
  SMTP_INBOUND_HOST: z.string().default('127.0.0.1'),
  SMTP_INBOUND_PORT: port(2525),
  SMTP_INBOUND_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(25 * 2 ** 20),
  /** PEM files; with both set the intake offers STARTTLS. */
  SMTP_TLS_KEY: z.string().min(1).optional(),
  SMTP_TLS_CERT: z.string().min(1).optional(),
  /** Desk addresses and the regulation each serves: "help@dprim.ru=primorye,rpgu@example.ru=epgu". */
  MAIL_ROUTES: z.string().optional(),
  /** Domains whose every mailbox is the desk's (RCPT TO accepted); default: MAIL_FROM's domain. */
  MAIL_DOMAINS: list.superRefine((values, ctx) => {
    for (const v of values)
      if (!normalizeEmail(`x@${v}`))
        ctx.addIssue({ code: 'custom', message: `MAIL_DOMAINS: "${v}" is not a mail domain` });
  }),
  /** RCPT TO beyond this many in one message: 452, the sender sends the rest separately. */
  SMTP_MAX_RECIPIENTS: z.coerce.number().int().min(1).max(10_000).default(100),
  ATTACHMENT_MAX_FILES: z.coerce.number().int().min(0).default(10),
  ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(10 * 2 ** 20),
  /**
   * The sender check (issue #18): verify (SPF, DKIM, DMARC here, against DNS), upstream (the
   * Authentication-Results of the MTA named by MAIL_AUTH_SERVID) or off (nothing checked).
   */
  MAIL_AUTH: z.enum(['verify', 'upstream', 'off'], { error: 'verify, upstream or off' }).default('verify'),
  /** The authserv-id of the upstream MTA whose Authentication-Results are trusted (MAIL_AUTH=upstream). */
  MAIL_AUTH_SERVID: z
    .string()
    .regex(/^[A-Za-z0-9.-]{1,253}$/, 'a host name such as mx.example.ru')
    .optional(),
  /** The bound of one message's check, DNS included: an unreachable DNS is a temperror after this. */
  MAIL_AUTH_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  AUTO_MAIL_PER_HOUR: z.coerce.number().int().min(1).default(10),
  BOUNCE_SUPPRESS_HOURS: z.coerce.number().min(0).default(24),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /**
   * Tickets the worker keeps in memory (issue #21): an evicted ticket whose timer fires is replayed
   * from its whole history first. The SDK's default follows the heap (≈ 2,300 on a 4 GiB heap).
   */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(10).default(WORKER_DEFAULTS.maxCachedWorkflows),
  /** Workflow tasks the worker runs at once (SDK default 40): a deadline burst waits on these. */
  WORKER_WORKFLOW_TASKS: z.coerce.number().int().min(2).default(WORKER_DEFAULTS.workflowTasks),
  /** Activities (read-model writes, mail) the worker runs at once. */
  WORKER_ACTIVITY_TASKS: z.coerce.number().int().min(1).default(WORKER_DEFAULTS.activityTasks),
});

export interface Config {
  readonly temporal: {
    readonly address: string | null;
    readonly namespace: string;
    readonly taskQueue: string;
    readonly cliPath: string | null;
    readonly uiPort: number;
    readonly uiUrl: string | null;
  };
  readonly databaseUrl: string | null;
  readonly dataDir: string;
  readonly embeddedPgPort: number;
  readonly mail: {
    readonly smtpUrl: string | null;
    readonly from: string;
    readonly domain: string;
    readonly instance: string;
    readonly roles: { readonly managers: string[]; readonly regional: string[]; readonly federal: string[] };
    readonly automaticPerHour: number;
    readonly bounceSuppressHours: number;
  };
  readonly regulations: Readonly<Record<RegulationId, RegulationSettings>>;
  readonly defaultRegulation: RegulationId;
  readonly api: {
    readonly host: string;
    readonly port: number;
    readonly rateLimitPerMinute: number;
    readonly trustProxy: string | number | boolean;
    /** A listener for /metrics without a key; null: /metrics only on the API, with a key. */
    readonly metrics: { readonly host: string; readonly port: number } | null;
  };
  readonly smtpInbound: {
    readonly host: string;
    readonly port: number;
    readonly maxBytes: number;
    readonly tls: { readonly keyPath: string; readonly certPath: string } | null;
    /** Lower-case desk address → regulation. */
    readonly routes: Readonly<Record<string, RegulationId>>;
    /** Domains whose every mailbox is the desk's (lower case); mail to them goes to the default regulation. */
    readonly domains: readonly string[];
    readonly maxRecipients: number;
    readonly attachments: { readonly maxFiles: number; readonly maxBytes: number };
    /** How the sender is authenticated (MAIL_AUTH, MAIL_AUTH_SERVID, MAIL_AUTH_TIMEOUT_MS). */
    readonly auth:
      | { readonly mode: 'off' }
      | { readonly mode: 'upstream'; readonly servId: string }
      | { readonly mode: 'verify'; readonly timeoutMs: number };
  };
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** WORKER_MAX_CACHED_WORKFLOWS, WORKER_WORKFLOW_TASKS, WORKER_ACTIVITY_TASKS. */
  readonly worker: {
    readonly maxCachedWorkflows: number;
    readonly workflowTasks: number;
    readonly activityTasks: number;
  };
}

function parseRoutes(value: string | undefined): Record<string, RegulationId> {
  const routes: Record<string, RegulationId> = {};
  for (const part of (value ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [address, id] = part.split('=').map((x) => x?.trim() ?? '');
    if (!address || !normalizeEmail(address))
      throw new ConfigError(`MAIL_ROUTES: "${part}" must be address=regulation`);
    if (!id || !isRegulationId(id))
      throw new ConfigError(`MAIL_ROUTES: "${part}": unknown regulation "${id}" (primorye, epgu)`);
    routes[address.toLowerCase()] = id;
  }
  return routes;
}

function parseRegulationSettings(json: string | undefined): Record<RegulationId, RegulationSettings> {
  const out: Record<RegulationId, RegulationSettings> = { primorye: {}, epgu: {} };
  if (!json) return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw new ConfigError(`REGULATION_SETTINGS is not JSON: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new ConfigError('REGULATION_SETTINGS must be a JSON object keyed by regulation id');
  for (const [id, settings] of Object.entries(parsed)) {
    if (!isRegulationId(id))
      throw new ConfigError(`REGULATION_SETTINGS: unknown regulation "${id}" (primorye, epgu)`);
    try {
      resolveRegulation(currentRef(id, settings as RegulationSettings));
    } catch (e) {
      throw new ConfigError(`REGULATION_SETTINGS.${id}: ${(e as Error).message}`);
    }
    out[id] = settings as RegulationSettings;
  }
  return out;
}

function senderAuth(
  mode: 'verify' | 'upstream' | 'off',
  servId: string | undefined,
  timeoutMs: number,
): Config['smtpInbound']['auth'] {
  if (mode === 'upstream') {
    if (!servId)
      throw new ConfigError(
        'MAIL_AUTH=upstream needs MAIL_AUTH_SERVID: the authserv-id of the MTA whose Authentication-Results are trusted',
      );
    return { mode, servId: servId.toLowerCase() };
  }
  if (servId) throw new ConfigError(`MAIL_AUTH_SERVID is used only with MAIL_AUTH=upstream (now ${mode})`);
  return mode === 'off' ? { mode } : { mode, timeoutMs };
}

function tlsPaths(
  key: string | undefined,
  cert: string | undefined,
): { keyPath: string; certPath: string } | null {
  if (!key && !cert) return null;
  if (!key || !cert)
    throw new ConfigError('SMTP_TLS_KEY and SMTP_TLS_CERT go together (PEM files) to offer STARTTLS');
  return { keyPath: key, certPath: cert };
}

/** `API_TRUST_PROXY`: "true"/"false", a hop count, or addresses and names Express understands. */
function trustProxy(value: string | undefined): string | number | boolean {
  if (!value || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`DATABASE_URL=`) means unset, as in shells and compose files.
  const parsed = schema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')),
  );
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  const e = parsed.data;
  if (!isRegulationId(e.DEFAULT_REGULATION))
    throw new ConfigError(
      `DEFAULT_REGULATION: unknown regulation "${e.DEFAULT_REGULATION}" (primorye, epgu)`,
    );
  const fromAddress = /<([^<>]+)>/.exec(e.MAIL_FROM)?.[1] ?? e.MAIL_FROM;
  if (!normalizeEmail(fromAddress))
    throw new ConfigError(`MAIL_FROM: "${e.MAIL_FROM}" has no e-mail address`);
  return {
    temporal: {
      address: e.TEMPORAL_ADDRESS ?? null,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      cliPath: e.TEMPORAL_CLI_PATH ?? null,
      uiPort: e.TEMPORAL_UI_PORT,
      uiUrl: e.TEMPORAL_UI_URL?.replace(/\/$/, '') ?? null,
    },
    databaseUrl: e.DATABASE_URL ?? null,
    dataDir: e.DATA_DIR,
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    mail: {
      smtpUrl: e.SMTP_URL ?? null,
      from: e.MAIL_FROM,
      domain: fromAddress.split('@')[1]!.toLowerCase(),
      instance: e.REGLAMENT_INSTANCE,
      roles: { managers: e.MANAGER_EMAILS, regional: e.REGIONAL_MAILBOX, federal: e.FEDERAL_MAILBOX },
      automaticPerHour: e.AUTO_MAIL_PER_HOUR,
      bounceSuppressHours: e.BOUNCE_SUPPRESS_HOURS,
    },
    regulations: parseRegulationSettings(e.REGULATION_SETTINGS),
    defaultRegulation: e.DEFAULT_REGULATION,
    api: {
      host: e.API_HOST,
      port: e.API_PORT,
      rateLimitPerMinute: e.API_RATE_LIMIT,
      trustProxy: trustProxy(e.API_TRUST_PROXY),
      metrics: e.METRICS_PORT ? { host: e.METRICS_HOST, port: e.METRICS_PORT } : null,
    },
    smtpInbound: {
      host: e.SMTP_INBOUND_HOST,
      port: e.SMTP_INBOUND_PORT,
      maxBytes: e.SMTP_INBOUND_MAX_BYTES,
      tls: tlsPaths(e.SMTP_TLS_KEY, e.SMTP_TLS_CERT),
      routes: parseRoutes(e.MAIL_ROUTES),
      domains: (e.MAIL_DOMAINS.length ? e.MAIL_DOMAINS : [fromAddress.split('@')[1]!]).map((d) =>
        d.toLowerCase(),
      ),
      maxRecipients: e.SMTP_MAX_RECIPIENTS,
      attachments: { maxFiles: e.ATTACHMENT_MAX_FILES, maxBytes: e.ATTACHMENT_MAX_BYTES },
      auth: senderAuth(e.MAIL_AUTH, e.MAIL_AUTH_SERVID, e.MAIL_AUTH_TIMEOUT_MS),
    },
    logLevel: e.LOG_LEVEL,
    worker: {
      maxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS,
      workflowTasks: e.WORKER_WORKFLOW_TASKS,
      activityTasks: e.WORKER_ACTIVITY_TASKS,
    },
  };
}
