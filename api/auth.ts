/**
 * Who is calling: an API key (integrations: `Authorization: Bearer …`) or a person signed in to the
 * console (a session cookie). Both give the same `ApiPrincipal`, so roles and organisation scope are
 * enforced once, by the route table. Cookie-authenticated writes need the session's CSRF token in
 * `X-CSRF-Token` (double submit: a cross-site page can send the cookie but cannot read the token)
 * and, when the browser sends one, an Origin of this host.
 */
import type { Request } from 'express';
import type { ApiPrincipal } from '../db/repositories/apiKeys';
import { findSession, type SessionInfo } from '../db/repositories/users';
import type { ApiContext } from './context';
import { Problem } from './problems';

export const SESSION_COOKIE = 'rgl_session';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

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
    if (session.user.mustChangePassword && !req.path.startsWith('/session'))
      throw new Problem('forbidden', 'Сначала смените временный пароль.', {
        code: 'password_change_required',
      });
  }
  return session.principal;
}

/** API key first (integrations), then the console's session. */
export function combinedAuthenticator(
  ctx: ApiContext,
  byKey: (req: Request) => Promise<ApiPrincipal | null>,
): (req: Request) => Promise<ApiPrincipal | null> {
  return async (req) => (await byKey(req)) ?? (await sessionPrincipal(ctx, req));
}
