/**
 * Errors as RFC 9457 problem details: a stable `type`, a Russian `detail` an operator understands,
 * never a stack trace.
 */
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { CommandRefusedError, TemporalUnavailableError, WorkflowMissingError } from '../workflows/client';

export const PROBLEM_TYPES = {
  validation: { status: 400, title: 'Некорректный запрос' },
  unauthorized: { status: 401, title: 'Нужен ключ API' },
  forbidden: { status: 403, title: 'Недостаточно прав' },
  not_found: { status: 404, title: 'Не найдено' },
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
      instance: res.req.originalUrl,
      ...extra,
    });
}

export const notFound: RequestHandler = (req, res) =>
  sendProblem(res, 'not_found', `Ресурс ${req.method} ${req.path} не найден.`);

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

/**
 * The one error handler: domain refusals 409, validation 400, a dependency away 503 with Retry-After,
 * everything unexpected 500 without details.
 */
export function errorHandler(log: (message: string) => void): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof Problem) return sendProblem(res, err.type, err.detail, err.extra);
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
        'Процессы заявок (Temporal) сейчас недоступны; действие не выполнено. Повторите запрос позже с тем же Idempotency-Key.',
        { code: 'temporal_unavailable' },
      );
    if (isDatabaseAway(err))
      return sendProblem(res, 'unavailable', 'База данных сейчас недоступна; повторите запрос позже.', {
        code: 'database_unavailable',
      });
    const e = err as { type?: string; status?: number; message?: string };
    // Body parser errors.
    if (e.type === 'entity.too.large')
      return sendProblem(res, 'payload_too_large', 'Тело запроса больше допустимого размера.');
    if (e.type === 'entity.parse.failed')
      return sendProblem(res, 'validation', 'Тело запроса — не корректный JSON.');
    if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported')
      return sendProblem(res, 'unsupported_media_type', 'Поддерживается только UTF-8.');
    log(`api: ${req.method} ${req.originalUrl}: ${(err as Error)?.stack ?? String(err)}`);
    sendProblem(res, 'internal', 'Внутренняя ошибка сервиса. Запрос не выполнен; повторите его позже.');
  };
}
