/**
 * Routes are declared once: method, path, roles, organisation scope, zod schemas of the input,
 * responses, handler. The same declaration validates requests, writes the OpenAPI document and is
 * enforced here, in `mount`, the one place where keys, rate limits, roles and scopes are checked.
 */
import type { NextFunction, Request, Response, Router } from 'express';
import { type z } from 'zod';
import type { Role } from '../domain';
import type { ApiPrincipal } from '../db/repositories/apiKeys';
import type { ApiContext } from './context';
import { Problem } from './problems';
import type { KeyAdmission } from './keyAdmission';
import { clientAddress, rateLimitHeaders, type SharedWindowLimiter, type Window } from './rateLimit';
import { enforceWriteScope } from './writeScope';

export interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** A body that is not JSON: CSV, a file. */
  readonly raw?: { readonly contentType: string; readonly data: string | Buffer };
}

export interface HandlerInput<P, Q, B> {
  readonly ctx: ApiContext;
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly principal: ApiPrincipal;
  /** The organisation the key is limited to, null for a key of the whole installation. */
  readonly scope: string | null;
  readonly req: Request;
}

/** The organisation a resource belongs to: null for none, undefined when there is no such resource. */
export type Owner = string | null | undefined;

export interface OwnerInput<P> {
  readonly ctx: ApiContext;
  readonly params: P;
  /** The request body as sent (not yet validated). */
  readonly body: unknown;
}

/**
 * Whose data a route touches (issue #10). Keys limited to an organisation are checked against it in
 * `mount`; keys of the whole installation pass.
 * - shared: the same for every organisation (regulations, FAQ reading, probes);
 * - global: the installation as a whole (keys, metrics, FAQ editing, new organisations): refused (403)
 *   to organisation keys;
 * - organization: one organisation's data. `owners` names the organisations of what the request
 *   addresses; anything of another organisation, or of none, does not exist for the key (404, the
 *   same answer as for a missing one). A list route has no `owners` and filters by `scope`;
 * - own: the calling key's own record.
 */
export type Scope<P = unknown> =
  | { readonly kind: 'shared' }
  | { readonly kind: 'global' }
  | { readonly kind: 'own' }
  | {
      readonly kind: 'organization';
      readonly owners?: (input: OwnerInput<P>) => Promise<readonly Owner[]>;
      /** The 404 detail for what is missing or out of scope. */
      readonly notFound?: (params: P) => string;
    };

export const SHARED = { kind: 'shared' } as const;
export const GLOBAL = { kind: 'global' } as const;
export const OWN = { kind: 'own' } as const;
/** One organisation's data, not addressed by ID (a list, a new record): the handler confines it to `scope`. */
export const ORGANIZATION = { kind: 'organization' } as const;

export interface RouteSpec<P = unknown, Q = unknown, B = unknown> {
  readonly method: 'get' | 'post' | 'put' | 'delete';
  /** Express path, e.g. '/tickets/:id'. */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  /** Who may call it; 'public' needs no key. */
  readonly roles: readonly Role[] | 'authenticated' | 'public';
  readonly scope: Scope<P>;
  readonly params?: z.ZodType<P>;
  readonly query?: z.ZodType<Q>;
  readonly body?: z.ZodType<B>;
  readonly responses: Readonly<
    Record<
      number,
      { readonly description: string; readonly schema?: z.ZodType; readonly contentType?: string }
    >
  >;
  readonly handler: (input: HandlerInput<P, Q, B>) => Promise<Reply>;
}

export const route = <P, Q, B>(spec: RouteSpec<P, Q, B>): RouteSpec => spec as unknown as RouteSpec;

/** Zod issues as a problem operators can act on. */
function invalid(where: string, error: z.ZodError): Problem {
  const errors = error.issues.map((i) => ({ field: [where, ...i.path].join('.'), message: i.message }));
  return new Problem(
    'validation',
    `Некорректные данные: ${errors.map((e) => `${e.field} — ${e.message}`).join('; ')}.`,
    { errors },
  );
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (!result.success) throw invalid(where, result.error);
  return result.data;
}

/** A route's JSON body: none sent is an empty object (commands without arguments), another type is 415. */
function jsonBody(req: Request): unknown {
  const empty = req.header('content-length') === '0' && !req.header('content-type');
  const is = empty ? null : req.is(['application/json', 'application/*+json']);
  if (is === null) return req.body ?? {};
  if (is === false)
    throw new Problem(
      'unsupported_media_type',
      `Тело запроса должно быть JSON (Content-Type: application/json), получено «${String(req.header('content-type')).slice(0, 100)}».`,
    );
  return req.body;
}

export type Authenticate = (req: Request) => Promise<ApiPrincipal | null>;

export interface Gate {
  readonly authenticate: Authenticate;
  /** Whether the request presented a key at all (no key is a 401, not a failed authentication). */
  readonly presentsKey: (req: Request) => boolean;
  /** Requests per verified key. */
  readonly perKey: SharedWindowLimiter;
  /** Failed authentications per client address. */
  readonly authFailures: SharedWindowLimiter;
  /**
   * A presented API key, its address's failures and its request window in one statement
   * (api/keyAdmission.ts); null when the request presents no key. A refused key goes the long way.
   */
  readonly admitKey?: (req: Request, address: string) => Promise<KeyAdmission | null>;
}

function refusedByFailures(window: Window, gate: Gate): Problem {
  return new Problem(
    'rate_limited',
    'Слишком много попыток с неверным ключом API с этого адреса; повторите позже.',
    {},
    rateLimitHeaders('auth-failures', window, gate.authFailures.windowMs),
  );
}

/** The key's or session's principal and its counted request, or null: the long way then. */
async function admitted(
  req: Request,
  address: string,
  gate: Gate,
): Promise<{ principal: ApiPrincipal; window: Window } | null> {
  const byKey = await gate.admitKey?.(req, address);
  if (byKey?.kind === 'blocked') throw refusedByFailures(byKey.window, gate);
  if (byKey?.kind === 'admitted') return byKey;
  const failures = await gate.authFailures.peek(address);
  if (!failures.allowed) throw refusedByFailures(failures, gate);
  const principal = await gate.authenticate(req);
  return principal && { principal, window: await gate.perKey.hit(principal.keyId) };
}

/** The key, its rate limit and its role; throws the problem that refuses the request. */
async function admit(spec: RouteSpec, req: Request, res: Response, gate: Gate): Promise<ApiPrincipal> {
  const address = clientAddress(req.ip);
  const admission = await admitted(req, address, gate);
  if (!admission) {
    if (gate.presentsKey(req)) await gate.authFailures.hit(address);
    throw new Problem(
      'unauthorized',
      'Передайте действующий ключ API в заголовке Authorization: Bearer <ключ>.',
    );
  }
  const { principal, window } = admission;
  const headers = rateLimitHeaders('key', window, gate.perKey.windowMs);
  if (!window.allowed)
    throw new Problem(
      'rate_limited',
      'Слишком много запросов с этим ключом; повторите через минуту.',
      {},
      headers,
    );
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (spec.roles !== 'authenticated' && principal.role !== 'admin' && !spec.roles.includes(principal.role))
    throw new Problem('forbidden', `Роли «${principal.role}» это действие недоступно.`);
  return principal;
}

/** The route's declared scope, for a key limited to one organisation. */
async function enforceScope(
  spec: RouteSpec,
  principal: ApiPrincipal,
  input: OwnerInput<unknown>,
  early: Promise<readonly Owner[]> | null,
): Promise<void> {
  const own = principal.organizationId;
  const scope = spec.scope;
  if (scope.kind === 'organization' && scope.owners) {
    const owners = await (early ?? scope.owners(input));
    // Missing, or not the key's organisation: the same answer, so nothing is learnt about others.
    if (owners.some((o) => o === undefined || (own !== null && o !== own)))
      throw new Problem('not_found', scope.notFound?.(input.params) ?? 'Не найдено.');
  }
  if (own && scope.kind === 'global')
    throw new Problem(
      'forbidden',
      'Ключ организации не даёт доступа к данным всей установки: нужен ключ без организации.',
      { code: 'organization_scope' },
    );
}

/** A value, or the problem it throws later, in the order the route checks things. */
function attempt<T>(fn: () => T): () => T {
  try {
    const value = fn();
    return () => value;
  } catch (e) {
    return () => {
      throw e;
    };
  }
}

/**
 * What the request addresses is read while its credentials are checked (issue #21: one round trip
 * less on every command). Only when it presents a key or a cookie, and nothing is answered from it
 * before the principal is admitted and the scope enforced.
 */
function ownersEarly(
  spec: RouteSpec,
  req: Request,
  gate: Gate,
  input: () => OwnerInput<unknown>,
): Promise<readonly Owner[]> | null {
  const scope = spec.scope;
  if (spec.roles === 'public' || scope.kind !== 'organization' || !scope.owners) return null;
  if (!gate.presentsKey(req) && !req.header('cookie')) return null;
  let owners: Promise<readonly Owner[]>;
  try {
    owners = scope.owners(input());
  } catch {
    return null;
  }
  owners.catch(() => undefined); // a refused request does not wait for it
  return owners;
}

export function mount(
  router: Router,
  routes: readonly RouteSpec[],
  gate: Gate,
  observe: (route: string, seconds: number, status: number) => void,
): void {
  for (const spec of routes) {
    router[spec.method](spec.path, (req: Request, res: Response, next: NextFunction) => {
      const started = process.hrtime.bigint();
      const run = async (): Promise<void> => {
        const ctx = req.app.locals.ctx as ApiContext;
        const parsedParams = attempt(() => parse(spec.params, req.params, 'path'));
        const sentBody = attempt(() => (spec.body ? jsonBody(req) : undefined));
        const early = ownersEarly(spec, req, gate, () => ({ ctx, params: parsedParams(), body: sentBody() }));
        const principal = spec.roles === 'public' ? null : await admit(spec, req, res, gate);
        const params = parsedParams();
        const query = parse(spec.query, req.query, 'query');
        const sent = sentBody();
        if (principal) await enforceScope(spec, principal, { ctx, params, body: sent }, early);
        // What a body names is the actor's organisation's too (issue #18): one check for every write.
        if (principal?.organizationId && sent !== undefined)
          await enforceWriteScope(ctx.db, principal.organizationId, sent);
        const input = {
          ctx,
          params,
          query,
          body: parse(spec.body, sent, 'body'),
          principal: principal!,
          scope: principal?.organizationId ?? null,
          req,
        };
        const reply = await spec.handler(input);
        for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
        if (reply.raw) res.status(reply.status).type(reply.raw.contentType).send(reply.raw.data);
        else if (reply.body === undefined) res.status(reply.status).end();
        else res.status(reply.status).json(reply.body);
      };
      run()
        .catch(next)
        .finally(() =>
          observe(
            `${spec.method.toUpperCase()} ${spec.path}`,
            Number(process.hrtime.bigint() - started) / 1e9,
            res.statusCode,
          ),
        );
    });
  }
}
