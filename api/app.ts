/**
 * The operators' API, built from injected dependencies (no port here: server.ts listens, tests import
 * the app). Routes are thin: validate, call the domain or a repository, map the result.
 */
import express, { Router, type Request } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import { authenticate, type ApiPrincipal } from '../db/repositories/apiKeys';
import { combinedAuthenticator } from './auth';
import type { ApiContext } from './context';
import { openApiDocument } from './openapi';
import { errorHandler, notFound, sendProblem } from './problems';
import { withPersonalDataMasked } from './personalData';
import { mount, type RouteSpec } from './route';
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
  ...knowledgeRoutes,
  ...operationRoutes,
  ...sessionRoutes,
  ...dashboardRoutes,
  ...eventRoutes,
];

export interface AppOptions {
  /** Requests per minute per API key (or per address without one). */
  readonly rateLimitPerMinute: number;
  readonly version: string;
  /** The built console (web/dist): served to browsers at / and every console path. */
  readonly consoleDir?: string | null;
}

function presentedKey(req: Request): string | null {
  const header = req.header('authorization');
  const bearer = header && /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  return bearer ?? req.header('x-api-key') ?? null;
}

/** Principals are cached briefly so a busy queue screen does not look its key up on every request. */
function cachedAuthenticator(ctx: ApiContext) {
  const cache = new Map<string, { principal: ApiPrincipal | null; until: number }>();
  return async (req: Request): Promise<ApiPrincipal | null> => {
    const key = presentedKey(req);
    if (!key) return null;
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && hit.until > now) return hit.principal;
    const principal = await authenticate(ctx.db, key);
    if (cache.size > 1000) cache.clear();
    cache.set(key, { principal, until: now + (principal ? 30_000 : 5_000) });
    return principal;
  };
}

export function createApp(ctx: ApiContext, options: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.locals.ctx = ctx;
  const document = openApiDocument(ROUTES, options.version);
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
  app.use(
    rateLimit({
      windowMs: 60_000,
      limit: options.rateLimitPerMinute,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      keyGenerator: (req) => presentedKey(req)?.slice(0, 16) ?? `ip:${ipKeyGenerator(req.ip ?? '')}`,
      handler: (_req, res) =>
        sendProblem(res, 'rate_limited', 'Слишком много запросов; повторите через минуту.'),
    }),
  );
  app.use(express.json({ limit: '256kb', type: ['application/json', 'application/*+json'] }));
  app.use(express.text({ limit: '2mb', type: ['text/csv', 'text/plain'] }));
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
  mount(router, ROUTES, combinedAuthenticator(ctx, cachedAuthenticator(ctx)), (route, seconds, status) =>
    ctx.metrics.latency.observe({ route, status: String(status) }, seconds),
  );
  app.use(router);
  app.use(notFound);
  app.use(errorHandler(ctx.log));
  return app;
}
