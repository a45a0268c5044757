/**
 * `reglament keys create --role … --name … [--organization <id>] [--expires 90d]`, `keys list`
 * (role, scope, status, creation, last use, expiry), `keys revoke <id>`: API keys in the
 * installation's database (DATABASE_URL, or the embedded one under DATA_DIR, started for the
 * moment when `npm start` is not running).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { ROLES, storableText, type Role } from '../domain';
import { connectDatabase } from '../db/client';
import { recordedDatabaseUrl, startDefaultDatabase } from '../db/embeddedDefault';
import { migrateDatabase } from '../db/migrate';
import {
  createApiKey,
  InvalidKeyRequest,
  keyStatus,
  listApiKeys,
  revokeApiKey,
} from '../db/repositories/apiKeys';
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

const KEYS_USAGE = `reglament keys — API keys for integrations

  reglament keys create --role <role> --name <name> [--organization <id>] [--expires <90d|2026-12-31>]
                        [--person-id <id> --person-name <name>]
  reglament keys list
  reglament keys revoke <id>

Roles: ${ROLES.join(', ')}.`;

/** `--expires 90d`, `12h`, `30m`, or an ISO instant / date: when the key stops working. */
export function parseExpiry(value: string, now: number = Date.now()): Date {
  const relative = /^(\d{1,5})\s*([dhm])$/i.exec(value.trim());
  if (relative) {
    const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[relative[2]!.toLowerCase() as 'd' | 'h' | 'm'];
    return new Date(now + Number(relative[1]) * unit);
  }
  if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim())) {
    const at = Date.parse(value.trim());
    if (Number.isFinite(at)) return new Date(at);
  }
  throw new UsageError(
    `--expires "${storableText(value, 60)}": a duration (90d, 12h, 30m) or an ISO date/instant (2026-12-31)`,
  );
}

const day = (d: Date | null): string => (d ? d.toISOString().slice(0, 16).replace('T', ' ') : '—');

export async function keysCommand(argv: string[]): Promise<string> {
  const [sub, ...rest] = argv;
  if (sub === 'help' || sub === '--help' || sub === '-h' || rest.includes('--help') || rest.includes('-h'))
    return KEYS_USAGE;
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      role: { type: 'string' },
      name: { type: 'string' },
      organization: { type: 'string' },
      'person-id': { type: 'string' },
      'person-name': { type: 'string' },
      expires: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (sub === 'create') {
    if (!values.role || !ROLES.includes(values.role as Role))
      throw new UsageError(`--role is required: one of ${ROLES.join(', ')}`);
    // The CLI is an entry point too: what is typed is stored, so it passes the storable-text boundary.
    const name = storableText(values.name ?? '', 200).trim();
    if (!name) throw new UsageError('--name is required (who or what the key is for)');
    const expiresAt = values.expires ? parseExpiry(values.expires) : null;
    const organization = values.organization ? storableText(values.organization, 100).trim() : null;
    const { key, id } = await withDatabase(async (db) => {
      try {
        return await createApiKey(db, {
          name,
          role: values.role as Role,
          organizationId: organization,
          personId: values['person-id'] ?? null,
          personName: values['person-name'] ?? null,
          expiresAt,
        });
      } catch (e) {
        if (e instanceof InvalidKeyRequest) throw new UsageError(e.message);
        throw e;
      }
    });
    const scope = organization ? `organisation ${organization}` : 'the whole installation';
    const until = expiresAt ? `, expires ${expiresAt.toISOString()}` : '';
    return `${key}\n(key ${id}, role ${values.role}, ${scope}${until}: shown once, keep it)`;
  }
  if (sub === 'list') {
    const keys = await withDatabase((db) => listApiKeys(db));
    if (!keys.length) return '(no keys)';
    const header = ['ID', 'ROLE', 'SCOPE', 'STATUS', 'CREATED', 'LAST USED', 'EXPIRES', 'NAME'];
    const rows = keys.map((k) => [
      k.id,
      k.role,
      k.organizationId ? `org:${k.organizationId}` : 'global',
      keyStatus(k),
      day(k.createdAt),
      day(k.lastUsedAt),
      day(k.expiresAt),
      k.name,
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    return [header, ...rows]
      .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  '))
      .join('\n');
  }
  if (sub === 'revoke') {
    const id = positionals[0];
    if (!id) throw new UsageError('keys revoke needs the key id (see `reglament keys list`)');
    const done = await withDatabase((db) => revokeApiKey(db, id));
    if (!done) throw new UsageError(`no active key ${storableText(id, 60)}`);
    return `key ${id} revoked`;
  }
  throw new UsageError(
    sub
      ? `unknown keys command "${storableText(sub, 60)}" (create, list, revoke)`
      : 'keys needs a command: create, list, revoke',
  );
}
