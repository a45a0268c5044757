/**
 * Errors as RFC 9457 problem details: a stable `type`, a Russian `detail` an operator understands,
 * never a stack trace.
 */
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';

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

export function sendProblem(
  res: Response,
  type: ProblemType,
  detail: string,
  extra: Record<string, unknown> = {},
): void {
  const { status, title } = PROBLEM_TYPES[type];
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

/** The one error handler: domain refusals 409, validation 400, everything unexpected 500 without details. */
export function errorHandler(log: (message: string) => void): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof Problem) return sendProblem(res, err.type, err.detail, err.extra);
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
