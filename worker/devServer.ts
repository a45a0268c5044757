/**
 * A local Temporal development server for `npm start`, obtained through the SDK as users would: the
 * Temporal CLI's dev server (downloaded once into DATA_DIR, or TEMPORAL_CLI_PATH), its UI on, workflow
 * histories persisted to a SQLite file under DATA_DIR, reglament's search attributes registered.
 */
import { join, resolve } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { searchAttributes } from '../workflows/messages';

export interface DevServer {
  readonly env: TestWorkflowEnvironment;
  readonly address: string;
  readonly uiUrl: string;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  readonly dataDir: string;
  readonly namespace: string;
  readonly port: number;
  readonly uiPort: number;
  readonly cliPath: string | null;
  readonly timeoutMs: number;
}

export class DevServerError extends Error {
  override readonly name = 'DevServerError';
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const starting = TestWorkflowEnvironment.createLocal({
    server: {
      executable: options.cliPath
        ? { type: 'existing-path', path: options.cliPath }
        : {
            type: 'cached-download',
            downloadDir: join(resolve(options.dataDir), 'temporal-cli'),
            ttl: '30 days',
          },
      dbFilename: join(resolve(options.dataDir), 'temporal.sqlite'),
      namespace: options.namespace,
      ip: '127.0.0.1',
      port: options.port,
      ui: true,
      uiPort: options.uiPort,
      searchAttributes: Object.values(searchAttributes),
      log: { format: 'pretty', level: 'error' },
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new DevServerError(
            `the Temporal development server did not start within ${Math.round(options.timeoutMs / 1000)} s`,
          ),
        ),
      options.timeoutMs,
    );
  });
  try {
    const env = await Promise.race([starting, timeout]);
    return {
      env,
      address: env.address,
      uiUrl: `http://127.0.0.1:${options.uiPort}`,
      stop: () => env.teardown(),
    };
  } catch (e) {
    // A server that starts after the timeout is stopped as soon as it appears.
    starting.then((late) => late.teardown()).catch(() => undefined);
    throw e instanceof DevServerError ? e : new DevServerError((e as Error).message.split('\n')[0]!);
  } finally {
    clearTimeout(timer);
  }
}
