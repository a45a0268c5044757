/**
 * Who is calling: an API key (integrations: `Authorization: Bearer …`) or a person signed in to the
 * console (a session cookie). Both give the same `ApiPrincipal`, so roles and organisation scope are
 * enforced once, by the route table. Cookie-authenticated writes need the session's CSRF token in
 * `X-CSRF-Token` (double submit: a cross-site page can send the cookie but cannot read the token)
 * and, when the browser sends one, an Origin of this host.
 */
import type { Request } from 'express';
import { authenticate, type ApiPrincipal } from '../db/repositories/apiKeys';
import { findSession, sessionEndTopic, type SessionInfo } from '../db/repositories/users';
import type { ApiContext } from './context';
import { Problem } from './problems';

export const SESSION_COOKIE = 'rgl_session';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** What a session on a temporary password may reach: its own session and the password change. */
const PASSWORD_CHANGE_PATHS = new Set(['/session', '/session/password']);

export function cookieOf(req: Request, name: string): string | null {
  const header = req.header('cookie');
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** Secure when the console is reached over https (directly or behind a proxy that says so). */
const secure = (req: Request): boolean => req.secure || req.header('x-forwarded-proto') === 'https';

export function sessionCookie(req: Request, token: string, expiresAt: Date): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Expires=${expiresAt.toUTCString()}`,
    ...(secure(req) ? ['Secure'] : []),
  ].join('; ');
}

export function clearedSessionCookie(req: Request): string {
  return [
    `${SESSION_COOKIE}=`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    'Expires=Thu, 01 Jan 1970 00:00:00 GMT',
    ...(secure(req) ? ['Secure'] : []),
  ].join('; ');
}

/** The signed-in person's session, or null. */
export async function sessionOf(ctx: ApiContext, req: Request): Promise<SessionInfo | null> {
  const token = cookieOf(req, SESSION_COOKIE);
  return token ? findSession(ctx.db, token, new Date(ctx.now())) : null;
}

function sameOrigin(req: Request): boolean {
  const origin = req.header('origin');
  if (!origin || origin === 'null') return origin !== 'null';
  try {
    return new URL(origin).host === req.header('host');
  } catch {
    return false;
  }
}

/**
 * The principal of a console request: the session, checked for CSRF on writes. Throws a 403 problem
 * when the cookie is good but the request could be forged.
 */
export async function sessionPrincipal(ctx: ApiContext, req: Request): Promise<ApiPrincipal | null> {
  const session = await sessionOf(ctx, req);
  if (!session) return null;
  if (!SAFE_METHODS.has(req.method)) {
    if (req.header(CSRF_HEADER) !== session.csrfToken || !sameOrigin(req))
      throw new Problem(
        'forbidden',
        'Запрос отклонён защитой от подделки (CSRF): обновите страницу консоли и повторите действие.',
        { code: 'csrf' },
      );
  }
  // A temporary password (issued by an admin or the first run) opens one door: choosing one's own
  // (issue #18, finding 12). Reads are refused too: whoever saw the temporary password is not the person.
  if (session.user.mustChangePassword && !PASSWORD_CHANGE_PATHS.has(req.path))
    throw new Problem(
      'forbidden',
      'Вход выполнен по временному паролю: сначала задайте свой пароль (POST /session/password, ' +
        'в консоли — форма смены пароля). До этого другие действия и данные недоступны.',
      { code: 'password_change_required' },
    );
  return session.principal;
}

/** API key first (integrations), then the console's session. */
export function combinedAuthenticator(
  ctx: ApiContext,
  byKey: (req: Request) => Promise<ApiPrincipal | null>,
): (req: Request) => Promise<ApiPrincipal | null> {
  return async (req) => (await byKey(req)) ?? (await sessionPrincipal(ctx, req));
}

/** The API key a request presents (`Authorization: Bearer …` or `X-API-Key`), or null. */
export function presentedKey(req: Request): string | null {
  const header = req.header('authorization');
  const bearer = header && /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  return bearer || req.header('x-api-key') || null;
}

const fromSession = (principal: ApiPrincipal): boolean => principal.keyId.startsWith('user:');

/**
 * What the `principal_ended` notification calls this request's principal: its session or its key
 * (issue #18, finding 11: a live stream ends with them).
 */
export function endTopicOf(req: Request, principal: ApiPrincipal): string | null {
  if (!fromSession(principal)) return `key:${principal.keyId}`;
  const token = cookieOf(req, SESSION_COOKIE);
  return token ? sessionEndTopic(token) : null;
}

/** Whether the principal a long request began with may still act: its session or key is alive. */
export async function principalStillValid(
  ctx: ApiContext,
  req: Request,
  principal: ApiPrincipal,
): Promise<boolean> {
  if (fromSession(principal)) {
    const token = cookieOf(req, SESSION_COOKIE);
    const session = token ? await findSession(ctx.db, token, new Date(ctx.now()), { extend: false }) : null;
    return (
      session !== null && session.principal.keyId === principal.keyId && !session.user.mustChangePassword
    );
  }
  const key = presentedKey(req);
  return key !== null && (await authenticate(ctx.db, key))?.keyId === principal.keyId;
}
