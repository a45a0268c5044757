/**
 * The operators' API, built from injected dependencies (no port here: server.ts listens, tests import
 * the app). Routes are thin: validate, call the domain or a repository, map the result.
 */
import express, { Router, type Request } from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import { storableJson } from '../domain';
import { authenticate, type ApiPrincipal } from '../db/repositories/apiKeys';
import { combinedAuthenticator, presentedKey } from './auth';
import { admitKey } from './keyAdmission';
import type { ApiContext } from './context';
import { openApiDocument } from './openapi';
import { withPersonalDataMasked } from './personalData';
import { errorHandler, notFound, Problem, refuseMalformedUrl } from './problems';
import { SharedWindowLimiter } from './rateLimit';
import { mount, type RouteSpec } from './route';
import { calendarRoutes } from './routes/calendars';
import { consoleRoutes } from './routes/console';
import { dashboardRoutes } from './routes/dashboard';
import { eventRoutes } from './routes/events';
import { knowledgeRoutes } from './routes/knowledge';
import { operationRoutes } from './routes/operations';
import { regulationRoutes } from './routes/regulations';
import { sessionRoutes } from './routes/session';
import { ticketRoutes } from './routes/tickets';
import { serveConsole } from './routes/web';

export const ROUTES: readonly RouteSpec[] = [
  ...withPersonalDataMasked([...consoleRoutes, ...ticketRoutes]),
  ...regulationRoutes,
  ...calendarRoutes,
  ...knowledgeRoutes,
  // Issue #18, finding 6: a message's text and HTML, and outgoing letters, carry personal data too.
  ...withPersonalDataMasked(
    operationRoutes,
    (r) => r.path.startsWith('/inbox') || r.path.startsWith('/mail/'),
  ),
  ...sessionRoutes,
  ...dashboardRoutes,
  ...eventRoutes,
];

export interface AppOptions {
  /** Requests per minute per verified API key. */
  readonly rateLimitPerMinute: number;
  /** Failed authentications per client address in `authFailureWindowMs` (default 30 in 10 minutes). */
  readonly authFailuresPerWindow?: number;
  readonly authFailureWindowMs?: number;
  readonly version: string;
  /** The built console (web/dist): served to browsers at / and every console path. */
  readonly consoleDir?: string | null;
  /**
   * Which proxies in front of the API to believe about the client's address (Express's `trust proxy`:
   * 'loopback', a hop count, addresses); default none. The failed-authentication limit is per address.
   */
  readonly trustProxy?: string | number | boolean;
  /** The limiters' clock (tests). */
  readonly now?: () => number;
}

/**
 * The principal of a presented key, looked up on every request (an indexed read): no cache that could
 * outlive a revocation, so a revoked key is refused at once by every replica (issue #18, finding 11).
 */
function keyAuthenticator(ctx: ApiContext) {
  return async (req: Request): Promise<ApiPrincipal | null> => {
    const key = presentedKey(req);
    return key ? authenticate(ctx.db, key) : null;
  };
}

export function createApp(ctx: ApiContext, options: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? false);
  app.locals.ctx = ctx;
  const document = openApiDocument(ROUTES, options.version);
  app.use(refuseMalformedUrl);
  app.use(
    helmet({
      // Swagger UI's own scripts and styles are served from /docs.
      contentSecurityPolicy: {
        directives: {
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
        },
      },
    }),
  );
  app.use(express.json({ limit: '256kb', type: ['application/json', 'application/*+json'] }));
  app.use(express.text({ limit: '2mb', type: ['text/csv', 'text/plain'] }));
  // The storable-text boundary for every body (issue #10): what a client sends can always be stored.
  app.use((req, _res, next) => {
    try {
      if (req.body !== undefined) req.body = storableJson(req.body);
      next();
    } catch {
      next(new Problem('validation', 'Тело запроса слишком глубоко вложено.'));
    }
  });
  if (options.consoleDir) app.use(serveConsole(options.consoleDir));
  app.get('/', (_req, res) => {
    res.json({
      name: 'reglament',
      docs: '/docs',
      openapi: '/openapi.json',
      health: '/healthz',
      ready: '/readyz',
      metrics: '/metrics',
    });
  });
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(document, { customSiteTitle: 'reglament API' }));
  const router = Router();
  const now = options.now ?? Date.now;
  const limiters = {
    perKey: new SharedWindowLimiter(ctx.db, 'key', options.rateLimitPerMinute, 60_000, now),
    authFailures: new SharedWindowLimiter(
      ctx.db,
      'auth-failures',
      options.authFailuresPerWindow ?? 30,
      options.authFailureWindowMs ?? 10 * 60_000,
      now,
    ),
  };
  mount(
    router,
    ROUTES,
    {
      authenticate: combinedAuthenticator(ctx, keyAuthenticator(ctx)),
      presentsKey: (req) => presentedKey(req) !== null,
      ...limiters,
      admitKey: async (req, address) => {
        const key = presentedKey(req);
        return key ? admitKey(ctx.db, key, address, limiters) : null;
      },
    },
    (route, seconds, status) => ctx.metrics.latency.observe({ route, status: String(status) }, seconds),
  );
  app.use(router);
  app.use(notFound);
  app.use(errorHandler(ctx.log));
  return app;
}
