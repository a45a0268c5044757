/**
 * People who sign in to the console: accounts with scrypt password hashes, lock-out after repeated
 * failures, server-side sessions (the cookie carries a random token; only its SHA-256 is stored) and
 * saved queue views. A signed-in person is an `ApiPrincipal` like an API key: same role, same scope.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { and, asc, eq, gt, isNull, like, lt, sql } from 'drizzle-orm';
import type { Role } from '../../domain';
import type { Database } from '../client';
import { organizationExists } from './organizations';
import { rateWindows, savedViews, sessions, users } from '../schema';
import type { ApiPrincipal } from './apiKeys';

/** scrypt with N=2^15, r=8, p=1: 32 MiB per hash (OWASP's minimum is N=2^17 with less memory per round). */
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;
const KEY_LENGTH = 32;
/**
 * Sign-in failures allowed per login from one address, and per address over all logins, in a window
 * of `minutes`; beyond them the API answers 429 with Retry-After (issue #18, finding 7).
 */
export const SIGN_IN_LIMITS = { perLoginAndAddress: 5, perAddress: 20, minutes: 15 } as const;
export const SESSION_HOURS = 12;
export const MIN_PASSWORD_LENGTH = 10;

function scryptAsync(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: n, r, p, maxmem: SCRYPT.maxmem };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Why a password cannot be used, in Russian; null when it can. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Пароль — не короче ${MIN_PASSWORD_LENGTH} символов.`;
  if (password.length > 200) return 'Пароль — не длиннее 200 символов.';
  if (/^(.)\1+$/.test(password)) return 'Пароль из одного повторяющегося символа слишком простой.';
  return null;
}

/** A password people can type from the start banner: 16 characters without look-alikes. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(16);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

export type UserRow = typeof users.$inferSelect;

export interface UserView {
  readonly id: string;
  readonly login: string;
  readonly name: string;
  readonly email: string | null;
  readonly role: Role;
  readonly organizationId: string | null;
  readonly mustChangePassword: boolean;
  readonly lockedUntil: string | null;
  readonly disabled: boolean;
  readonly createdAt: string;
  readonly lastSignInAt: string | null;
}

export function userView(u: UserRow): UserView {
  return {
    id: u.id,
    login: u.login,
    name: u.name,
    email: u.email,
    role: u.role as Role,
    organizationId: u.organizationId,
    mustChangePassword: u.mustChangePassword,
    lockedUntil: u.lockedUntil && u.lockedUntil.getTime() > Date.now() ? u.lockedUntil.toISOString() : null,
    disabled: u.disabledAt !== null,
    createdAt: u.createdAt.toISOString(),
    lastSignInAt: u.lastSignInAt?.toISOString() ?? null,
  };
}

export const normalizeLogin = (login: string): string => login.trim().toLowerCase();

export class UserError extends Error {
  constructor(
    readonly code:
      | 'exists'
      | 'weak_password'
      | 'not_found'
      | 'invalid_login'
      | 'nothing_to_change'
      | 'unknown_organization',
    message: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export async function createUser(
  db: Database,
  input: {
    login: string;
    name: string;
    role: Role;
    password: string;
    email?: string | null;
    organizationId?: string | null;
    mustChangePassword?: boolean;
  },
): Promise<UserView> {
  const login = normalizeLogin(input.login);
  if (!/^[a-z0-9][a-z0-9._@-]{1,99}$/.test(login))
    throw new UserError('invalid_login', 'Логин: латинские буквы, цифры, «.», «_», «-», «@»; от 2 символов.');
  const weak = passwordProblem(input.password);
  if (weak) throw new UserError('weak_password', weak);
  await requireOrganization(db, input.organizationId);
  const [row] = await db
    .insert(users)
    .values({
      id: `u-${randomBytes(5).toString('hex')}`,
      login,
      name: input.name.trim(),
      email: input.email ?? null,
      role: input.role,
      organizationId: input.organizationId ?? null,
      passwordHash: await hashPassword(input.password),
      mustChangePassword: input.mustChangePassword ?? false,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new UserError('exists', `Пользователь ${login} уже есть.`);
  return userView(row);
}

export async function listUsers(db: Database): Promise<UserView[]> {
  return (await db.select().from(users).orderBy(asc(users.login))).map(userView);
}

export async function findUser(db: Database, idOrLogin: string): Promise<UserRow | null> {
  const key = normalizeLogin(idOrLogin);
  const [row] = await db
    .select()
    .from(users)
    .where(sql`${users.id} = ${idOrLogin} or ${users.login} = ${key}`)
    .limit(1);
  return row ?? null;
}

export async function updateUser(
  db: Database,
  id: string,
  patch: Partial<{ name: string; email: string | null; role: Role; organizationId: string | null }>,
): Promise<UserView | null> {
  if (!Object.keys(patch).length) throw new UserError('nothing_to_change', 'Укажите, что изменить.');
  await requireOrganization(db, patch.organizationId);
  const [row] = await db.update(users).set(patch).where(eq(users.id, id)).returning();
  return row ? userView(row) : null;
}

/** A person limited to an organisation that is not on file would see nothing: refused. */
async function requireOrganization(db: Database, id: string | null | undefined): Promise<void> {
  if (id && !(await organizationExists(db, id)))
    throw new UserError('unknown_organization', `Организации «${id}» нет: сначала создайте её.`);
}

/** Disables (or enables) an account; disabling ends its sessions at once. */
export async function setUserDisabled(db: Database, id: string, disabled: boolean): Promise<UserView | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set({ disabledAt: disabled ? new Date() : null })
      .where(eq(users.id, id))
      .returning();
    if (row && disabled) await tx.delete(sessions).where(eq(sessions.userId, id));
    return row ? userView(row) : null;
  });
}

/**
 * Sets a new password; `mustChange` makes the person choose their own at the next sign-in (an
 * admin's reset). Unlocks the account and ends every session but `keepSession`.
 */
export async function setPassword(
  db: Database,
  id: string,
  password: string,
  options: { mustChange: boolean; keepSession?: string },
): Promise<UserView> {
  const weak = passwordProblem(password);
  if (weak) throw new UserError('weak_password', weak);
  const hash = await hashPassword(password);
  const view = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set({
        passwordHash: hash,
        mustChangePassword: options.mustChange,
        failedAttempts: 0,
        lockedUntil: null,
      })
      .where(eq(users.id, id))
      .returning();
    if (!row) throw new UserError('not_found', 'Пользователь не найден.');
    await tx
      .delete(sessions)
      .where(
        options.keepSession
          ? and(eq(sessions.userId, id), sql`${sessions.tokenHash} <> ${sha256(options.keepSession)}`)
          : eq(sessions.userId, id),
      );
    return userView(row);
  });
  await unlockSignIn(db, view.login);
  return { ...view, lockedUntil: null };
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export type SignInResult = { readonly ok: true; readonly user: UserRow } | { readonly ok: false };

/**
 * Checks a password. Unknown, wrong and disabled are one answer after the same scrypt work, so neither
 * the answer nor its time tells which logins exist (issue #18, finding 7). Throttling is the API's
 * (per address and per login+address, api/signIn.ts): no stranger can lock an account for everyone.
 */
export async function checkSignIn(
  db: Database,
  login: string,
  password: string,
  now: Date,
): Promise<SignInResult> {
  const user = await findUser(db, login);
  const good = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !good || user.disabledAt) return { ok: false };
  await db.update(users).set({ lastSignInAt: now }).where(eq(users.id, user.id));
  return { ok: true, user };
}

/** The limiter (api/rateLimit.ts) of sign-in failures per login and address: keys `<login>|<address>`. */
export const SIGN_IN_LIMITER = 'sign-in';

/**
 * Records that sign-in as `login` is refused from some address until `until` (shown as «заблокирован»
 * in lists; other addresses still sign in).
 */
export async function markSignInLocked(db: Database, login: string, until: Date): Promise<void> {
  await db
    .update(users)
    .set({ lockedUntil: until })
    .where(eq(users.login, normalizeLogin(login)));
}

/** Lifts every sign-in lock of a login (`reglament users unlock`, a password reset). */
export async function unlockSignIn(db: Database, login: string): Promise<void> {
  const key = normalizeLogin(login);
  const pattern = `${SIGN_IN_LIMITER}:${key.replace(/[\\%_]/g, (c) => `\\${c}`)}|%`;
  await db.delete(rateWindows).where(like(rateWindows.key, pattern));
  await db.update(users).set({ lockedUntil: null, failedAttempts: 0 }).where(eq(users.login, key));
}
const DUMMY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;

export interface SessionInfo {
  readonly principal: ApiPrincipal;
  readonly user: UserView;
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

export async function createSession(
  db: Database,
  userId: string,
  now: Date,
  userAgent: string | null,
): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000);
  await db.insert(sessions).values({
    tokenHash: sha256(token),
    userId,
    csrfToken,
    createdAt: now,
    lastSeenAt: now,
    expiresAt,
    userAgent: userAgent?.slice(0, 300) ?? null,
  });
  // Expired sessions are swept on the way.
  await db.delete(sessions).where(lt(sessions.expiresAt, now));
  return { token, csrfToken, expiresAt };
}

export function principalOf(user: UserRow): ApiPrincipal {
  return {
    keyId: `user:${user.id}`,
    name: user.name,
    role: user.role as Role,
    organizationId: user.organizationId,
    personId: user.login,
    personName: user.name,
    // A session ends by its own expiry (sessions.expires_at), not the principal's.
    expiresAt: null,
  };
}

/**
 * The live session behind a cookie token: not expired, its user not disabled. Sliding expiry, unless
 * `extend` is false (a live stream's check is not the person's activity).
 */
export async function findSession(
  db: Database,
  token: string,
  now: Date,
  { extend = true }: { extend?: boolean } = {},
): Promise<SessionInfo | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const [row] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, sha256(token)), gt(sessions.expiresAt, now), isNull(users.disabledAt)))
    .limit(1);
  if (!row) return null;
  let expiresAt = row.session.expiresAt;
  // Extend at most once a minute, off the request's path.
  if (extend && now.getTime() - row.session.lastSeenAt.getTime() > 60_000) {
    expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000);
    void db
      .update(sessions)
      .set({ lastSeenAt: now, expiresAt })
      .where(eq(sessions.tokenHash, row.session.tokenHash))
      .catch(() => undefined);
  }
  return {
    principal: principalOf(row.user),
    user: userView(row.user),
    csrfToken: row.session.csrfToken,
    expiresAt,
  };
}

/** What the `principal_ended` notification names when this session ends (db/migrations/0012). */
export const sessionEndTopic = (token: string): string => `session:${sha256(token)}`;

export async function deleteSession(db: Database, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, sha256(token)));
}

// ---- saved views -------------------------------------------------------------------------------

export async function listViews(db: Database, owner: string) {
  return db
    .select({ id: savedViews.id, name: savedViews.name, filters: savedViews.filters })
    .from(savedViews)
    .where(eq(savedViews.owner, owner))
    .orderBy(asc(savedViews.name));
}

/** Saves a view by name (the same name replaces it). */
export async function saveView(db: Database, owner: string, name: string, filters: Record<string, string>) {
  const [row] = await db
    .insert(savedViews)
    .values({ owner, name, filters })
    .onConflictDoUpdate({ target: [savedViews.owner, savedViews.name], set: { filters } })
    .returning({ id: savedViews.id, name: savedViews.name, filters: savedViews.filters });
  return row!;
}

export async function deleteView(db: Database, owner: string, id: number): Promise<boolean> {
  const rows = await db
    .delete(savedViews)
    .where(and(eq(savedViews.owner, owner), eq(savedViews.id, id)))
    .returning({ id: savedViews.id });
  return rows.length > 0;
}
