import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Role } from '../../domain';
import type { Database } from '../client';
import { apiKeys } from '../schema';

export interface ApiPrincipal {
  readonly keyId: string;
  readonly name: string;
  readonly role: Role;
  readonly organizationId: string | null;
  readonly personId: string | null;
  readonly personName: string | null;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** Creates a key and returns it in full: the only time the secret is seen. */
export async function createApiKey(
  db: Database,
  input: {
    name: string;
    role: Role;
    organizationId?: string | null;
    personId?: string | null;
    personName?: string | null;
  },
): Promise<{ key: string; id: string }> {
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  await db.insert(apiKeys).values({
    id,
    name: input.name,
    role: input.role,
    organizationId: input.organizationId ?? null,
    personId: input.personId ?? null,
    personName: input.personName ?? null,
    secretHash: sha256(secret),
  });
  return { key: `rgl_${id}_${secret}`, id };
}

/** The principal behind a presented key, or null (unknown, malformed or revoked: no difference shown). */
export async function authenticate(db: Database, presented: string): Promise<ApiPrincipal | null> {
  const m = /^rgl_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/.exec(presented.trim());
  if (!m) return null;
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, m[1]!), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!row) return null;
  const expected = Buffer.from(row.secretHash, 'hex');
  const actual = Buffer.from(sha256(m[2]!), 'hex');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  // Best effort, off the request's path.
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
  };
}

export async function revokeApiKey(db: Database, id: string): Promise<boolean> {
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}

export async function listApiKeys(db: Database) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      role: apiKeys.role,
      organizationId: apiKeys.organizationId,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .orderBy(apiKeys.createdAt);
}
