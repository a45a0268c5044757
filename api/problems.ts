/**
 * Errors as RFC 9457 problem details: a stable `type`, a Russian `detail` an operator understands,
 * never a stack trace. One error path for everything a client can get wrong, malformed HTTP included
 * (issue #10): broken percent-encoding, NUL in the address, unknown or broken Content-Encoding, a
 * body that is not what the route takes.
 */
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { CommandRefusedError, TemporalUnavailableError, WorkflowMissingError } from '../workflows/client';
import { describeError } from '../db/errors';

export const PROBLEM_TYPES = {
  validation: { status: 400, title: 'Некорректный запрос' },
  unauthorized: { status: 401, title: 'Нужен ключ API' },
  forbidden: { status: 403, title: 'Недостаточно прав' },
  not_found: { status: 404, title: 'Не найдено' },
  method_not_allowed: { status: 405, title: 'Метод не поддерживается' },
  conflict: { status: 409, title: 'Действие сейчас невозможно' },
  payload_too_large: { status: 413, title: 'Слишком большой запрос' },
  unsupported_media_type: { status: 415, title: 'Неподдерживаемый формат' },
  unprocessable: { status: 422, title: 'Заявку нельзя принять' },
  rate_limited: { status: 429, title: 'Слишком много запросов' },
  unavailable: { status: 503, title: 'Сервис временно недоступен' },
  internal: { status: 500, title: 'Внутренняя ошибка' },
} as const;

export type ProblemType = keyof typeof PROBLEM_TYPES;

export class Problem extends Error {
  constructor(
    readonly type: ProblemType,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'Problem';
  }
}

/** Seconds a client should wait before retrying when a dependency is away. */
const RETRY_AFTER_SECONDS = 5;

export function sendProblem(
  res: Response,
  type: ProblemType,
  detail: string,
  extra: Record<string, unknown> = {},
): void {
  const { status, title } = PROBLEM_TYPES[type];
  if (status === 503) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
  res
    .status(status)
    .type('application/problem+json')
    .json({
      type: `/problems/${type.replace(/_/g, '-')}`,
      title,
      status,
      detail,
      // The address as received may be anything a client sent: keep it printable and short.
      instance: safeInstance(res.req.originalUrl),
      ...extra,
    });
}

function safeInstance(url: string): string {
  // eslint-disable-next-line no-control-regex
  return url.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 500);
}

// PostgreSQL unreachable: connection errors, the server shutting down, the pool's connect timeout.
const DATABASE_AWAY_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  '57P01',
  '57P02',
  '57P03',
]);

export function isDatabaseAway(err: unknown): boolean {
  const e = (err as { cause?: unknown } | null)?.cause ?? err;
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (DATABASE_AWAY_CODES.has(code) || code.startsWith('08'))) return true;
  return (
    typeof message === 'string' &&
    /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED/.test(message)
  );
}

export const notFound: RequestHandler = (req, res) =>
  sendProblem(res, 'not_found', `Ресурс ${req.method} ${safeInstance(req.path).slice(0, 200)} не найден.`);

/** Why an address cannot be read, or null: each part must decode as UTF-8 and carry no control characters. */
function malformedUrl(url: string): string | null {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? '' : url.slice(q + 1);
  const parts = [path, ...query.split(/[&=]/).map((p) => p.replace(/\+/g, ' '))];
  for (const part of parts) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(part);
    } catch {
      return 'Адрес запроса содержит некорректную percent-кодировку (ожидается UTF-8, например %D0%90).';
    }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(decoded))
      return 'Адрес запроса содержит NUL или другие управляющие символы.';
  }
  return null;
}

/** The first middleware: a request whose address cannot be read is refused before any route sees it. */
export const refuseMalformedUrl: RequestHandler = (req, res, next) => {
  const reason = malformedUrl(req.originalUrl);
  if (reason) sendProblem(res, 'validation', reason);
  else next();
};

/** Errors Express and its body parsers raise for a client's mistakes, by their `type`. */
const CLIENT_ERRORS: Record<string, [ProblemType, string]> = {
  'entity.too.large': ['payload_too_large', 'Тело запроса больше допустимого размера.'],
  'entity.parse.failed': ['validation', 'Тело запроса — не корректный JSON.'],
  'entity.verify.failed': ['validation', 'Тело запроса не прошло проверку.'],
  'charset.unsupported': ['unsupported_media_type', 'Поддерживается только кодировка UTF-8.'],
  'encoding.unsupported': [
    'unsupported_media_type',
    'Неподдерживаемый Content-Encoding: поддерживаются gzip, deflate, br и identity.',
  ],
  'request.aborted': ['validation', 'Запрос прерван до получения тела.'],
  'request.size.invalid': ['validation', 'Размер тела не совпадает с Content-Length.'],
  'stream.encoding.set': ['validation', 'Тело запроса не читается.'],
  'stream.not.readable': ['validation', 'Тело запроса не читается.'],
  'parameters.too.many': ['validation', 'Слишком много параметров.'],
};

/**
 * The one error handler: the client's mistakes 4xx with what to fix, domain refusals 409, a
 * dependency away 503 with Retry-After, anything unexpected 500 without details (logged without the
 * request's body).
 */
export function errorHandler(log: (message: string) => void): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof Problem) {
      for (const [k, v] of Object.entries(err.headers)) res.setHeader(k, v);
      return sendProblem(res, err.type, err.detail, err.extra);
    }
    if (err instanceof CommandRefusedError)
      return sendProblem(res, 'conflict', err.refusal.message, { code: err.refusal.code });
    if (err instanceof WorkflowMissingError)
      return sendProblem(
        res,
        'conflict',
        `Процесс заявки ${err.ticketId} не найден в Temporal; администратор может восстановить его из сохранённого состояния (POST /tickets/${err.ticketId}/restore).`,
        { code: 'workflow_missing' },
      );
    if (err instanceof TemporalUnavailableError)
      return sendProblem(
        res,
        'unavailable',
        // Read by people in the console: the Idempotency-Key advice for integrations is in the OpenAPI text.
        'Процессы заявок (Temporal) сейчас недоступны; действие не выполнено. Повторите его через несколько секунд.',
        { code: 'temporal_unavailable' },
      );
    if (isDatabaseAway(err))
      return sendProblem(res, 'unavailable', 'База данных сейчас недоступна; повторите запрос позже.', {
        code: 'database_unavailable',
      });
    const e = (err ?? {}) as { type?: string; status?: number; statusCode?: number; expose?: boolean };
    const known = e.type ? CLIENT_ERRORS[e.type] : undefined;
    if (known) return sendProblem(res, known[0], known[1]);
    const status = e.status ?? e.statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // A body that does not inflate under its Content-Encoding, a path parameter that does not decode.
      if (err instanceof URIError)
        return sendProblem(res, 'validation', 'Адрес запроса содержит некорректную percent-кодировку.');
      if (status === 413)
        return sendProblem(res, 'payload_too_large', 'Тело запроса больше допустимого размера.');
      if (status === 415)
        return sendProblem(res, 'unsupported_media_type', 'Неподдерживаемый формат тела запроса.');
      return sendProblem(
        res,
        'validation',
        req.header('content-encoding')
          ? 'Тело запроса не распаковывается по указанному Content-Encoding.'
          : 'Некорректный запрос.',
      );
    }
    // What failed and where, never the request's data (a database error repeats every parameter).
    const where = ((err as Error)?.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l));
    log(
      `api: ${req.method} ${safeInstance(req.path).slice(0, 200)}: ${describeError(err)}\n${where.slice(0, 8).join('\n')}`,
    );
    sendProblem(res, 'internal', 'Внутренняя ошибка сервиса. Запрос не выполнен; повторите его позже.');
  };
}
