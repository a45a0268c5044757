import { createServer, type RequestListener, type Server } from 'node:http';
import type { Duplex } from 'node:stream';

/** The HTTP status for requests Node's parser refuses before Express sees them. */
const PARSER_STATUS: Record<string, { status: number; reason: string; detail: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    reason: 'Request Header Fields Too Large',
    detail: 'Заголовки запроса слишком велики.',
  },
};

/**
 * A request Node's HTTP parser refuses (raw non-ASCII in the URL, a broken request line) still gets
 * a problem+json answer rather than an empty 400: a curl user learns what to do.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const known = PARSER_STATUS[error.code ?? ''];
  const status = known?.status ?? 400;
  const body = JSON.stringify({
    type: '/problems/validation',
    title: 'Некорректный запрос',
    status,
    detail:
      known?.detail ??
      'Некорректный HTTP-запрос. Адрес (путь и параметры) передаётся в percent-кодировке: русский текст в ' +
        'параметрах — через curl -G --data-urlencode "q=…" или encodeURIComponent.',
  });
  socket.end(
    `HTTP/1.1 ${status} ${known?.reason ?? 'Bad Request'}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Listens, or fails with the port in the message (EADDRINUSE, EACCES). */
export function listen(app: RequestListener, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(app);
    server.on('clientError', answerClientError);
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
