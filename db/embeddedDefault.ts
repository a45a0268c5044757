/**
 * The embedded PostgreSQL of an installation: data under DATA_DIR/postgres, its port and password in
 * DATA_DIR/postgres.json so `reglament keys` and other commands reach the same database.
 */
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded';

export interface EmbeddedSettings {
  readonly port: number;
  readonly password: string;
  readonly dataDir: string;
}

export function embeddedSettings(dataDir: string, port: number): EmbeddedSettings & { file: string } {
  const file = join(resolve(dataDir), 'postgres.json');
  // The data directory holds secrets (this file, the first run's): its owner's only.
  mkdirSync(resolve(dataDir), { recursive: true, mode: 0o700 });
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as EmbeddedSettings;
    return { ...saved, file };
  }
  const settings = { port, password: randomBytes(18).toString('base64url'), dataDir: '' };
  return { ...settings, file };
}

export function urlOf(s: Pick<EmbeddedSettings, 'port' | 'password'>, database = 'reglament'): string {
  return `postgres://postgres:${encodeURIComponent(s.password)}@127.0.0.1:${s.port}/${database}`;
}

/** Starts the installation's embedded PostgreSQL (creating it and the `reglament` database on first run). */
export async function startDefaultDatabase(
  dataDir: string,
  port: number,
  log: (line: string) => void,
  { stoppedByCaller = false }: { stoppedByCaller?: boolean } = {},
): Promise<{ url: string; server: EmbeddedDatabase }> {
  const settings = embeddedSettings(dataDir, port);
  const cluster = settings.dataDir || join(resolve(dataDir), 'postgres');
  const server = await startEmbeddedPostgres({
    dataDir: cluster,
    port: settings.port,
    password: settings.password,
    persistent: true,
    onLog: () => undefined,
    onNotice: log,
    stoppedByCaller,
  });
  writeFileSync(
    settings.file,
    JSON.stringify({ port: settings.port, password: settings.password, dataDir: cluster }, null, 2) + '\n',
    { mode: 0o600 },
  );
  // `mode` applies only to a new file: one written by an older version is narrowed too.
  chmodSync(settings.file, 0o600);
  const admin = new pg.Client({ connectionString: urlOf(settings, 'postgres') });
  await admin.connect();
  try {
    const exists = await admin.query(`select 1 from pg_database where datname = 'reglament'`);
    if (!exists.rowCount) await admin.query('create database reglament');
  } finally {
    await admin.end();
  }
  return { url: urlOf(settings), server };
}

/** The URL of a running embedded database of this installation, or null when none is recorded. */
export function recordedDatabaseUrl(dataDir: string): string | null {
  const file = join(resolve(dataDir), 'postgres.json');
  try {
    accessSync(file, constants.R_OK);
    return urlOf(JSON.parse(readFileSync(file, 'utf8')) as EmbeddedSettings);
  } catch {
    return null;
  }
}
