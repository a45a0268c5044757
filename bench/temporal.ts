import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { connectDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { ensureSearchAttributes } from '../worker/searchAttributes';
import { requestConnectionOptions } from '../workflows/client';
import { benchDatabase } from './database';
import { freePort } from '../db/embedded';

/** USER_HZ of Linux's /proc times. */
const CLOCK_TICKS = 100;

/** A Temporal server: the one at TEMPORAL_ADDRESS, or the test server binary run standalone. */
export async function temporalServer(
  bench: string,
): Promise<{ address: string; stop: () => void; cpuSeconds: () => number | null }> {
  if (process.env.TEMPORAL_ADDRESS)
    return { address: process.env.TEMPORAL_ADDRESS, stop: () => undefined, cpuSeconds: () => null };
  const launcher = process.env.TEMPORAL_TEST_SERVER_PATH;
  if (!launcher) {
    console.error(
      `${bench} needs a Temporal server: set TEMPORAL_ADDRESS, or TEMPORAL_TEST_SERVER_PATH to a test server launcher (DEVELOPERS.md)`,
    );
    process.exit(2);
  }
  const port = await freePort();
  const child: ChildProcess = spawn(launcher, [String(port)], { stdio: 'ignore' });
  const address = `127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      await (await Connection.connect({ address, connectTimeout: 1_000 })).close();
      break;
    } catch (e) {
      if (i > 100) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { address, stop: () => child.kill('SIGTERM'), cpuSeconds: () => processCpuSeconds(child.pid) };
}

/** CPU time (user + system) a local process and its threads have used so far, from /proc; null elsewhere. */
export function processCpuSeconds(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/**
 * What every Temporal bench stands on: a server (temporalServer), a throwaway migrated PostgreSQL,
 * a client and a worker connection, our search attributes registered. `close` stops them all.
 */
export async function benchStack(name: string) {
  const temporal = await temporalServer(name);
  const pg = await benchDatabase();
  const database = connectDatabase(pg.url, { max: 10 });
  const connection = await Connection.connect(requestConnectionOptions(temporal.address));
  const native = await NativeConnection.connect({ address: temporal.address });
  const close = async (): Promise<void> => {
    await native.close();
    await connection.close();
    await database.close();
    await pg.stop();
    temporal.stop();
  };
  try {
    await migrateDatabase(database.db);
    await ensureSearchAttributes(connection, 'default');
  } catch (e) {
    await close();
    throw e;
  }
  return { temporal, database, connection, native, close };
}
