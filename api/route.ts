/**
 * Routes are declared once: method, path, roles, zod schemas of the input, responses, handler. The
 * same declaration validates requests and writes the OpenAPI document, so they cannot disagree.
 */
import type { NextFunction, Request, Response, Router } from 'express';
import { type z } from 'zod';
import type { Role } from '../domain';
import type { ApiPrincipal } from '../db/repositories/apiKeys';
import type { ApiContext } from './context';
import { Problem } from './problems';

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
  readonly req: Request;
}

export interface RouteSpec<P = unknown, Q = unknown, B = unknown> {
  readonly method: 'get' | 'post' | 'put' | 'delete';
  /** Express path, e.g. '/tickets/:id'. */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  /** Who may call it; 'public' needs no key. */
  readonly roles: readonly Role[] | 'authenticated' | 'public';
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

export type Authenticate = (req: Request) => Promise<ApiPrincipal | null>;

export function mount(
  router: Router,
  routes: readonly RouteSpec[],
  authenticate: Authenticate,
  observe: (route: string, seconds: number, status: number) => void,
): void {
  for (const spec of routes) {
    router[spec.method](spec.path, (req: Request, res: Response, next: NextFunction) => {
      const started = process.hrtime.bigint();
      const run = async (): Promise<void> => {
        let principal: ApiPrincipal | null = null;
        if (spec.roles !== 'public') {
          principal = await authenticate(req);
          if (!principal)
            throw new Problem('unauthorized', 'Передайте ключ API в заголовке Authorization: Bearer <ключ>.');
          if (
            spec.roles !== 'authenticated' &&
            principal.role !== 'admin' &&
            !spec.roles.includes(principal.role)
          ) {
            throw new Problem('forbidden', `Роли «${principal.role}» это действие недоступно.`);
          }
        }
        const input = {
          ctx: req.app.locals.ctx as ApiContext,
          params: parse(spec.params, req.params, 'path'),
          query: parse(spec.query, req.query, 'query'),
          body: parse(spec.body, req.body, 'body'),
          principal: principal!,
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
