/**
 * `reglament keys create --role … --name …`, `keys list`, `keys revoke <id>`: API keys in the
 * installation's database (DATABASE_URL, or the embedded one under DATA_DIR, started for the
 * moment when `npm start` is not running).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { ROLES, type Role } from '../domain';
import { connectDatabase } from '../db/client';
import { recordedDatabaseUrl, startDefaultDatabase } from '../db/embeddedDefault';
import { migrateDatabase } from '../db/migrate';
import { createApiKey, listApiKeys, revokeApiKey } from '../db/repositories/apiKeys';
import { UsageError } from './usage';

export async function withDatabase<T>(
  work: (db: ReturnType<typeof connectDatabase>['db']) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  let url = config.databaseUrl ?? recordedDatabaseUrl(config.dataDir);
  let stop = async (): Promise<void> => undefined;
  if (!url) {
    if (!existsSync(join(resolve(config.dataDir), 'postgres.json'))) {
      throw new UsageError(
        `no database yet: run \`npm start\` once (it creates ${config.dataDir}/), or set DATABASE_URL`,
      );
    }
  }
  let database = connectDatabase(url!, { max: 1 });
  try {
    await database.pool.query('select 1');
  } catch {
    // `npm start` is not running: start the embedded database for the moment.
    await database.close();
    const embedded = await startDefaultDatabase(config.dataDir, config.embeddedPgPort, () => undefined);
    url = embedded.url;
    stop = () => embedded.server.stop();
    database = connectDatabase(url, { max: 1 });
  }
  try {
    await migrateDatabase(database.db);
    return await work(database.db);
  } finally {
    await database.close();
    await stop();
  }
}

export async function keysCommand(argv: string[]): Promise<string> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      role: { type: 'string' },
      name: { type: 'string' },
      organization: { type: 'string' },
      'person-id': { type: 'string' },
      'person-name': { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (sub === 'create') {
    if (!values.role || !ROLES.includes(values.role as Role))
      throw new UsageError(`--role is required: one of ${ROLES.join(', ')}`);
    if (!values.name?.trim()) throw new UsageError('--name is required (who or what the key is for)');
    const { key, id } = await withDatabase((db) =>
      createApiKey(db, {
        name: values.name!.trim(),
        role: values.role as Role,
        organizationId: values.organization ?? null,
        personId: values['person-id'] ?? null,
        personName: values['person-name'] ?? null,
      }),
    );
    return `${key}\n(key ${id}, role ${values.role}: shown once, keep it)`;
  }
  if (sub === 'list') {
    const keys = await withDatabase((db) => listApiKeys(db));
    return (
      keys
        .map((k) => `${k.id}  ${k.role.padEnd(17)} ${k.revokedAt ? 'revoked ' : 'active  '} ${k.name}`)
        .join('\n') || '(no keys)'
    );
  }
  if (sub === 'revoke') {
    const id = positionals[0];
    if (!id) throw new UsageError('keys revoke needs the key id (see `reglament keys list`)');
    const done = await withDatabase((db) => revokeApiKey(db, id));
    if (!done) throw new UsageError(`no active key ${id}`);
    return `key ${id} revoked`;
  }
  throw new UsageError(
    sub
      ? `unknown keys command "${sub}" (create, list, revoke)`
      : 'keys needs a command: create, list, revoke',
  );
}
