import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, gt, isNull, or } from 'drizzle-orm';
import { storableText, type Role } from '../../domain';
import type { Database } from '../client';
import { organizationExists } from './organizations';
import { apiKeys } from '../schema';

export interface ApiPrincipal {
  readonly keyId: string;
  readonly name: string;
  readonly role: Role;
  readonly organizationId: string | null;
  readonly personId: string | null;
  readonly personName: string | null;
  /** ISO instant after which the key is refused, or null. */
  readonly expiresAt: string | null;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** A key for an organisation that does not exist, or an expiry in the past: refused, nothing created. */
export class InvalidKeyRequest extends Error {
  override readonly name = 'InvalidKeyRequest';
}

export interface NewApiKey {
  readonly name: string;
  readonly role: Role;
  readonly organizationId?: string | null;
  readonly personId?: string | null;
  readonly personName?: string | null;
  readonly expiresAt?: Date | null;
}

/** Creates a key and returns it in full: the only time the secret is seen. */
export async function createApiKey(
  db: Database,
  input: NewApiKey,
  now: number = Date.now(),
): Promise<{ key: string; id: string }> {
  if (input.organizationId && !(await organizationExists(db, input.organizationId))) {
    throw new InvalidKeyRequest(
      `organisation "${storableText(input.organizationId, 100)}" does not exist: create it first (POST /organizations), or leave the key unscoped`,
    );
  }
  if (input.expiresAt && !(input.expiresAt.getTime() > now))
    throw new InvalidKeyRequest('the expiry must be in the future');
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  await db.insert(apiKeys).values({
    id,
    name: storableText(input.name, 200),
    role: input.role,
    organizationId: input.organizationId ?? null,
    personId: input.personId ? storableText(input.personId, 100) : null,
    personName: input.personName ? storableText(input.personName, 200) : null,
    secretHash: sha256(secret),
    expiresAt: input.expiresAt ?? null,
  });
  return { key: `rgl_${id}_${secret}`, id };
}

/** `keys list` shows the last use to the minute. */
const LAST_USED_PRECISION_MS = 60_000;

/** A presented key's public ID and the SHA-256 of its secret, or null when it is not a key's shape. */
export function parseKey(presented: string): { id: string; secretHash: string } | null {
  const m = /^rgl_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/.exec(presented.trim());
  return m ? { id: m[1]!, secretHash: sha256(m[2]!) } : null;
}

/** A key's row as far as a request needs it. */
export interface KeyRow {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly organizationId: string | null;
  readonly personId: string | null;
  readonly personName: string | null;
  readonly expiresAt: Date | null;
  readonly lastUsedAt: Date | null;
}

/**
 * The principal of a key that was found good. Notes its use: best effort, off the request's path, and
 * to the minute (a write, a WAL flush, on every request slowed every command of a polling integration).
 */
export function keyPrincipal(db: Database, row: KeyRow): ApiPrincipal {
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() >= LAST_USED_PRECISION_MS)
    void db
      .update(apiKeys)
      .set({ lastUsedAt: new Date() })
      .where(eq(apiKeys.id, row.id))
      .catch(() => undefined);
  return {
    keyId: row.id,
    name: row.name,
    role: row.role as Role,
    organizationId: row.organizationId,
    personId: row.personId,
    personName: row.personName,
    expiresAt: row.expiresAt?.toISOString() ?? null,
  };
}

/** The principal behind a presented key, or null (unknown, malformed, revoked or expired: no difference shown). */
export async function authenticate(db: Database, presented: string): Promise<ApiPrincipal | null> {
  const parsed = parseKey(presented);
  if (!parsed) return null;
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.id, parsed.id),
        isNull(apiKeys.revokedAt),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, new Date())),
      ),
    )
    .limit(1);
  if (!row) return null;
  const expected = Buffer.from(row.secretHash, 'hex');
  const actual = Buffer.from(parsed.secretHash, 'hex');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  return keyPrincipal(db, row);
}

export async function revokeApiKey(db: Database, id: string): Promise<boolean> {
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}

const LISTED = {
  id: apiKeys.id,
  name: apiKeys.name,
  role: apiKeys.role,
  organizationId: apiKeys.organizationId,
  personId: apiKeys.personId,
  personName: apiKeys.personName,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  expiresAt: apiKeys.expiresAt,
  revokedAt: apiKeys.revokedAt,
};

export async function listApiKeys(db: Database) {
  return db.select(LISTED).from(apiKeys).orderBy(apiKeys.createdAt);
}

export async function apiKeyById(db: Database, id: string) {
  const [row] = await db.select(LISTED).from(apiKeys).where(eq(apiKeys.id, id)).limit(1);
  return row ?? null;
}

/** A key's state for people: active, revoked or expired. */
export function keyStatus(
  key: { revokedAt: Date | null; expiresAt: Date | null },
  now: number = Date.now(),
): 'active' | 'revoked' | 'expired' {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && key.expiresAt.getTime() <= now) return 'expired';
  return 'active';
}
