/**
 * The typed API client: openapi-fetch over the types generated from the API's OpenAPI document
 * (schema.d.ts), so the console cannot drift from the API. The session cookie rides along; every
 * write carries the session's CSRF token.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type TicketSummary = Schemas['TicketSummary'];
export type TicketDetail = Schemas['TicketDetail'];
export type TicketView = Omit<TicketDetail, 'correspondence' | 'attachments' | 'links'>;
export type TicketEvent = Schemas['TicketEvent'];
export type TicketAction = Schemas['TicketAction'];
export type ReplyTemplate = Schemas['ReplyTemplate'];
export type ClockSummary = Schemas['ClockSummary'];
export type User = Schemas['User'];
export type Session = Schemas['Session'];
export type SavedView = Schemas['SavedView'];
export type Dashboard = Schemas['Dashboard'];
export type Problem = Schemas['Problem'];

let csrfToken: string | null = null;
export const setCsrfToken = (token: string | null): void => {
  csrfToken = token;
};

export const getCsrfToken = (): string | null => csrfToken;

const csrf: Middleware = {
  onRequest({ request }) {
    request.headers.set('Accept', 'application/json');
    if (request.method !== 'GET' && csrfToken) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '/', credentials: 'same-origin' });
api.use(csrf);

/** An API refusal, with the Russian detail the API wrote for people. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Partial<Problem>,
  ) {
    super(problem.detail ?? `Ошибка ${status}`);
    this.name = 'ApiError';
  }
}

/** The data of a response, or an ApiError with the problem's detail. */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw new ApiError(response.status, (error ?? {}) as Partial<Problem>);
  return data as T;
}

/**
 * An operator command. The API answers 200 `{ commandId, events, ticket }` (a Temporal Update with the
 * real resulting state) or, before that change, 202 `{ accepted, commandId, ticket }`: both carry
 * `ticket`.
 */
export async function runCommand(
  ticketId: string,
  path: string,
  body: Record<string, unknown>,
): Promise<{ ticket: TicketView | null }> {
  const response = await fetch(`/tickets/${encodeURIComponent(ticketId)}/${path}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'Idempotency-Key': crypto.randomUUID(),
      ...(csrfToken && { 'X-CSRF-Token': csrfToken }),
    },
    body: JSON.stringify(body),
  });
  const json = (await response.json().catch(() => ({}))) as { ticket?: TicketView } & Partial<Problem>;
  if (response.status !== 200 && response.status !== 202) throw new ApiError(response.status, json);
  return { ticket: json.ticket ?? null };
}

/** A request the generated client cannot describe (a CSV body): same cookie, same CSRF token. */
export async function sendRaw(
  path: string,
  method: string,
  contentType: string,
  body: string,
): Promise<unknown> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      'Content-Type': contentType,
      Accept: 'application/json',
      ...(csrfToken && { 'X-CSRF-Token': csrfToken }),
    },
    body,
  });
  const json = (await response.json().catch(() => ({}))) as Partial<Problem>;
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}
