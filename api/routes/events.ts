/**
 * Live updates for the console: server-sent events, one `ticket` event per change of a ticket's read
 * model (PostgreSQL LISTEN/NOTIFY through api/ticketFeed.ts). An organisation-scoped principal gets
 * only its organisation's tickets, as everywhere else.
 */
import { z } from 'zod';
import { ROLES } from '../../domain';
import { endTopicOf, principalStillValid } from '../auth';
import { Problem } from '../problems';
import { ORGANIZATION, route, type RouteSpec } from '../route';
import { problem } from '../schemas';
import { ticketFeedOf } from '../ticketFeed';

const HEARTBEAT_MS = 25_000;

export const eventRoutes: RouteSpec[] = [
  route({
    method: 'get',
    path: '/events',
    tag: 'Очередь',
    summary: 'Изменения заявок в реальном времени (Server-Sent Events): событие ticket с id, seq и статусом',
    description:
      'text/event-stream; каждое событие `ticket` — JSON {id, seq, status, organizationId}. Соединение держится открытым; ' +
      'комментарий-пульс каждые 25 секунд. После переподключения перечитайте очередь. Поток закрывается, как только ' +
      'сессия завершена (выход, отключение, смена пароля, истечение) или ключ отозван — на любой реплике.',
    roles: ROLES,
    scope: ORGANIZATION,
    responses: {
      200: {
        description: 'Поток событий',
        contentType: 'text/event-stream',
        schema: z.string(),
      },
      503: { description: 'База данных недоступна', schema: problem },
    },
    handler: async ({ ctx, req, principal }) => {
      const res = req.res!;
      const feed = ticketFeedOf(ctx.db, ctx.log);
      let unsubscribe: () => void = () => undefined;
      const pending: string[] = [];
      let open = false;
      const write = (chunk: string): void => {
        if (open) res.write(chunk);
        else pending.push(chunk);
      };
      const topic = endTopicOf(req, principal);
      let end = (): void => undefined;
      const ended = new Promise<void>((resolve) => (end = resolve));
      try {
        unsubscribe = await feed.subscribe(
          (change) => {
            if (principal.organizationId && change.organizationId !== principal.organizationId) return;
            write(`event: ticket\ndata: ${JSON.stringify(change)}\n\n`);
          },
          // Sign-out, a disabled account, a password change or a revoked key, on any replica.
          (gone) => {
            if (gone === topic) end();
          },
        );
      } catch (e) {
        throw new Problem('unavailable', `Поток изменений недоступен: ${(e as Error).message.slice(0, 200)}`);
      }
      // The response is this handler's to write: headers now, then events until the client leaves.
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      res.write('retry: 3000\n: connected\n\n');
      open = true;
      for (const chunk of pending.splice(0)) res.write(chunk);
      // Each heartbeat re-checks the session or key too: expiry, and a notification missed while the
      // LISTEN connection was down, end the stream within one period.
      // A check that cannot be made (the database away, the app shutting down) ends the stream too: the
      // browser reconnects in 3 s and is answered or refused afresh. The timer alone never keeps the
      // process alive (the client's socket does, while it is open).
      const heartbeat = setInterval(() => {
        void principalStillValid(ctx, req, principal).then(
          (valid) => (valid ? res.write(': ping\n\n') : end()),
          () => end(),
        );
      }, HEARTBEAT_MS);
      heartbeat.unref();
      req.on('close', end);
      await ended;
      clearInterval(heartbeat);
      unsubscribe();
      res.end();
      // Already answered; the route table sees a finished response.
      return { status: 200 };
    },
  }),
];
