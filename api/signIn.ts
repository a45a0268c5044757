/**
 * Sign-in throttling (issue #18, finding 7), counted in PostgreSQL so it holds across replicas:
 * failures per login from one address and per address over all logins. Beyond either limit the
 * answer is 429 with Retry-After, the same for a login that exists and one that does not. Nothing
 * locks an account for everyone: the admin still signs in from their own address while a stranger
 * is refused at theirs; `reglament users unlock <login>` or a password reset lifts a lock.
 */
import type { Request } from 'express';
import { markSignInLocked, normalizeLogin, SIGN_IN_LIMITER, SIGN_IN_LIMITS } from '../db/repositories/users';
import type { ApiContext } from './context';
import { Problem } from './problems';
import { clientAddress, rateLimitHeaders, SharedWindowLimiter, type Window } from './rateLimit';

const WINDOW_MS = SIGN_IN_LIMITS.minutes * 60_000;

export class SignInThrottle {
  private readonly perLogin: SharedWindowLimiter;
  private readonly perAddress: SharedWindowLimiter;

  constructor(private readonly ctx: ApiContext) {
    this.perLogin = new SharedWindowLimiter(
      ctx.db,
      SIGN_IN_LIMITER,
      SIGN_IN_LIMITS.perLoginAndAddress,
      WINDOW_MS,
      ctx.now,
    );
    this.perAddress = new SharedWindowLimiter(
      ctx.db,
      'sign-in-address',
      SIGN_IN_LIMITS.perAddress,
      WINDOW_MS,
      ctx.now,
    );
  }

  private static keys(req: Request, login: string): { pair: string; address: string } {
    const address = clientAddress(req.ip);
    return { pair: `${normalizeLogin(login)}|${address}`, address };
  }

  /** Throws 429 when this address may not try this login now. */
  async admit(req: Request, login: string): Promise<void> {
    const { pair, address } = SignInThrottle.keys(req, login);
    const [byLogin, byAddress] = await Promise.all([this.perLogin.peek(pair), this.perAddress.peek(address)]);
    const refused = [byLogin, byAddress].filter((w) => !w.allowed);
    if (refused.length) throw tooMany(refused.reduce((a, b) => (a.resetMs >= b.resetMs ? a : b)));
  }

  /** Counts a failure against the login at this address and against the address. */
  async failed(req: Request, login: string): Promise<void> {
    const { pair, address } = SignInThrottle.keys(req, login);
    const [byLogin] = await Promise.all([this.perLogin.hit(pair), this.perAddress.hit(address)]);
    // Shown to admins in wall-clock time: how long the lock still lasts, from now.
    if (byLogin.remaining === 0)
      await markSignInLocked(this.ctx.db, login, new Date(Date.now() + byLogin.resetMs));
  }

  /** A good password at this address: its failures for the login are forgotten. */
  async succeeded(req: Request, login: string): Promise<void> {
    await this.perLogin.clear(SignInThrottle.keys(req, login).pair);
  }
}

function tooMany(w: Window): Problem {
  const minutes = Math.max(1, Math.ceil(w.resetMs / 60_000));
  return new Problem(
    'rate_limited',
    `Слишком много неудачных попыток входа с этого адреса. Повторите через ${minutes} мин. ` +
      'Если пароль забыт, администратор выдаст временный.',
    { code: 'sign_in_throttled' },
    rateLimitHeaders('sign-in', w, WINDOW_MS),
  );
}

const throttles = new WeakMap<ApiContext, SignInThrottle>();

export function signInThrottleOf(ctx: ApiContext): SignInThrottle {
  let t = throttles.get(ctx);
  if (!t) throttles.set(ctx, (t = new SignInThrottle(ctx)));
  return t;
}
