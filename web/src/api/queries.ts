/**
 * Every cached query of the console, one factory per resource (issue #19: the queue cached
 * organisations as `{items}` and the admin page as a bare array under the same key, and the console
 * went white). A key is built here together with the function that fills it, so one key always holds
 * one shape; `queryKeys` gives the prefixes to invalidate. Pages never write a key by hand (ESLint
 * refuses a literal `queryKey: [...]` outside this file).
 */
import { queryOptions } from '@tanstack/react-query';
import type { operations } from './schema';
import { api, ApiError, ok, setCsrfToken, type Session } from './client';
import type { SenderAuthView } from '../features/mail/SenderBadge';

export interface WorkSchedule {
  workdayStart: string;
  workdayEnd: string;
  shortenPreHolidays: boolean;
}
export interface Organization {
  id: string;
  name: string;
  inn: string | null;
  domains: string[];
  /** Its own production calendar and working schedule (issue #20); null: the regulation's. */
  calendar?: string | null;
  schedule?: WorkSchedule | null;
}
export interface AuthorizedPerson {
  id: string;
  fullName: string;
  email: string;
  position: string | null;
  active: boolean;
}
export interface ApiKeyRow {
  id: string;
  name: string;
  role: string;
  organizationId: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
export interface InboxItem {
  id: number;
  receivedAt: string;
  envelopeFrom: string;
  status: string;
  outcome: string | null;
  ticketId: string | null;
  size: number;
  senderAuth?: SenderAuthView | null;
}
export interface InboxMessage {
  id: number;
  receivedAt: string;
  status: string;
  outcome: string | null;
  ticketId: string | null;
  from: string | null;
  senderAuth?: SenderAuthView | null;
  subject: string | null;
  text: string | null;
  html?: string | null;
  attachments: { fileName: string; contentType: string; size: number }[];
  parseError: string | null;
}

type TicketQuery = NonNullable<operations['getTickets']['parameters']['query']>;
type CheckBody = operations['postTicketsCheck']['requestBody']['content']['application/json'];
type DashboardRange = { from: string; to: string };

/** Key prefixes: what an invalidation or `removeQueries` names. */
export const queryKeys = {
  session: () => ['session'] as const,
  regulations: () => ['regulations'] as const,
  tickets: {
    all: () => ['tickets'] as const,
    list: (query: TicketQuery) => ['tickets', 'list', query] as const,
    clocks: (ids: readonly string[]) => ['tickets', 'clocks', ids] as const,
  },
  ticket: {
    all: (id: string) => ['ticket', id] as const,
    view: (id: string) => ['ticket', id, 'view'] as const,
    history: (id: string) => ['ticket', id, 'history'] as const,
    actions: (id: string) => ['ticket', id, 'actions'] as const,
    templates: (id: string) => ['ticket', id, 'templates'] as const,
  },
  check: (draft: CheckBody) => ['check', draft] as const,
  organizations: {
    all: () => ['organizations'] as const,
    list: (q = '') => ['organizations', 'list', q] as const,
    detail: (id: string) => ['organizations', 'detail', id] as const,
  },
  users: { all: () => ['users'] as const, list: () => ['users', 'list'] as const },
  people: { list: () => ['people', 'list'] as const },
  keys: { all: () => ['keys'] as const, list: () => ['keys', 'list'] as const },
  views: { all: () => ['views'] as const, list: () => ['views', 'list'] as const },
  faq: {
    all: () => ['faq'] as const,
    search: (q: string, limit: number) => ['faq', 'search', q, limit] as const,
    article: (id: string) => ['faq', 'article', id] as const,
  },
  inbox: {
    all: () => ['inbox'] as const,
    list: (state: string) => ['inbox', 'list', state] as const,
    message: (id: number) => ['inbox', 'message', id] as const,
  },
  dashboard: (range: DashboardRange) => ['dashboard', range] as const,
  calendars: {
    all: () => ['calendars'] as const,
    list: () => ['calendars', 'list'] as const,
    year: (year: number, calendar = 'ru') => ['calendars', 'year', year, calendar] as const,
  },
};

const path = (id: string) => ({ params: { path: { id } } });

/** Each key with the one function that fills it. */
export const queries = {
  calendars: {
    list: () =>
      queryOptions({ queryKey: queryKeys.calendars.list(), queryFn: () => ok(api.GET('/calendars')) }),
    year: (year: number, calendar = 'ru') =>
      queryOptions({
        queryKey: queryKeys.calendars.year(year, calendar),
        queryFn: () =>
          ok(
            api.GET('/calendars/{year}', {
              params: { path: { year: String(year) }, query: calendar === 'ru' ? {} : { calendar } },
            }),
          ),
      }),
  },
  session: () =>
    queryOptions({
      queryKey: queryKeys.session(),
      queryFn: async (): Promise<Session | null> => {
        try {
          const session = await ok(api.GET('/session'));
          setCsrfToken(session.csrfToken);
          return session;
        } catch (e) {
          if (e instanceof ApiError && e.status === 401) return null;
          throw e;
        }
      },
      staleTime: Infinity,
      retry: false,
    }),
  clocks: (ids: readonly string[]) =>
    queryOptions({
      queryKey: queryKeys.tickets.clocks(ids),
      queryFn: () => ok(api.GET('/tickets/clocks', { params: { query: { ids: ids.join(',') } } })),
    }),
  ticket: {
    view: (id: string) =>
      queryOptions({
        queryKey: queryKeys.ticket.view(id),
        queryFn: () => ok(api.GET('/tickets/{id}', path(id))),
      }),
    history: (id: string) =>
      queryOptions({
        queryKey: queryKeys.ticket.history(id),
        queryFn: () => ok(api.GET('/tickets/{id}/history', path(id))),
      }),
    actions: (id: string) =>
      queryOptions({
        queryKey: queryKeys.ticket.actions(id),
        queryFn: () => ok(api.GET('/tickets/{id}/actions', path(id))),
      }),
    templates: (id: string) =>
      queryOptions({
        queryKey: queryKeys.ticket.templates(id),
        queryFn: () => ok(api.GET('/tickets/{id}/templates', path(id))),
      }),
  },
  check: (draft: CheckBody) =>
    queryOptions({
      queryKey: queryKeys.check(draft),
      queryFn: () => ok(api.POST('/tickets/check', { body: draft })),
    }),
  organizations: {
    /** Organisations by name or INN (all of them without `q`): always a bare array. */
    list: (q = '') =>
      queryOptions({
        queryKey: queryKeys.organizations.list(q),
        queryFn: async (): Promise<Organization[]> =>
          (
            (await ok(api.GET('/organizations', { params: { query: q ? { q } : {} } }))) as unknown as {
              items: Organization[];
            }
          ).items,
        staleTime: 60_000,
      }),
    detail: (id: string) =>
      queryOptions({
        queryKey: queryKeys.organizations.detail(id),
        queryFn: async () =>
          (await ok(api.GET('/organizations/{id}', path(id)))) as unknown as Organization & {
            authorizedPersons: AuthorizedPerson[];
            schedulePolicies: { regulation: string; title: string; allowed: boolean; basis: string }[];
          },
      }),
  },
  users: () => queryOptions({ queryKey: queryKeys.users.list(), queryFn: () => ok(api.GET('/users')) }),
  people: () =>
    queryOptions({
      queryKey: queryKeys.people.list(),
      queryFn: () => ok(api.GET('/people')),
      staleTime: 60_000,
    }),
  keys: () =>
    queryOptions({
      queryKey: queryKeys.keys.list(),
      queryFn: async () => ((await ok(api.GET('/keys'))) as unknown as { items: ApiKeyRow[] }).items,
    }),
  views: () => queryOptions({ queryKey: queryKeys.views.list(), queryFn: () => ok(api.GET('/views')) }),
  faq: {
    search: (q: string, limit: number) =>
      queryOptions({
        queryKey: queryKeys.faq.search(q, limit),
        queryFn: () => ok(api.GET('/faq', { params: { query: { ...(q && { q }), limit } } })),
      }),
    article: (id: string) =>
      queryOptions({
        queryKey: queryKeys.faq.article(id),
        queryFn: () => ok(api.GET('/faq/{id}', path(id))),
        staleTime: 300_000,
        retry: false,
      }),
  },
  inbox: {
    list: (state: string) =>
      queryOptions({
        queryKey: queryKeys.inbox.list(state),
        queryFn: async () =>
          (
            (await ok(
              api.GET('/inbox', { params: { query: { status: state as never, limit: 100 } } }),
            )) as unknown as { items: InboxItem[] }
          ).items,
      }),
    message: (id: number) =>
      queryOptions({
        queryKey: queryKeys.inbox.message(id),
        queryFn: async () =>
          (await ok(api.GET('/inbox/{id}', { params: { path: { id } } }))) as unknown as InboxMessage,
      }),
  },
  dashboard: (range: DashboardRange) =>
    queryOptions({
      queryKey: queryKeys.dashboard(range),
      queryFn: () => ok(api.GET('/reports/dashboard', { params: { query: range } })),
    }),
};
