/**
 * Sign-in for people (the console), their accounts (admins) and their saved queue views. The session
 * is a cookie (httpOnly, SameSite=Strict, Secure over https); writes need the CSRF token that
 * GET/POST /session return (api/auth.ts).
 */
import { z } from 'zod';
import { ROLES } from '../../domain';
import {
  checkSignIn,
  createSession,
  createUser,
  deleteSession,
  deleteView,
  findUser,
  generatePassword,
  listUsers,
  listViews,
  SIGN_IN_LIMITS,
  saveView,
  setPassword,
  setUserDisabled,
  updateUser,
  UserError,
  userView,
  verifyPassword,
} from '../../db/repositories/users';
import { clearedSessionCookie, cookieOf, SESSION_COOKIE, sessionCookie, sessionOf } from '../auth';
import { Problem } from '../problems';
import { signInThrottleOf } from '../signIn';
import { GLOBAL, ORGANIZATION, OWN, route, SHARED, type RouteSpec } from '../route';
import { optionalText, problem, text } from '../schemas';

const person = z
  .object({ login: z.string(), name: z.string(), role: z.enum(ROLES), organizationId: z.string().nullable() })
  .meta({ id: 'Person' });

const user = z
  .object({
    id: z.string(),
    login: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    role: z.enum(ROLES),
    organizationId: z.string().nullable(),
    mustChangePassword: z.boolean(),
    lockedUntil: z.string().nullable(),
    disabled: z.boolean(),
    createdAt: z.string(),
    lastSignInAt: z.string().nullable(),
  })
  .meta({ id: 'User' });

const session = z.object({ user, csrfToken: z.string(), expiresAt: z.string() }).meta({ id: 'Session' });

const savedView = z
  .object({ id: z.number(), name: z.string(), filters: z.record(z.string(), z.string()) })
  .meta({ id: 'SavedView' });

const password = z.string().min(1, 'введите пароль').max(200);

function userProblem(e: unknown): never {
  if (e instanceof UserError)
    throw new Problem(
      e.code === 'exists' ? 'conflict' : e.code === 'not_found' ? 'not_found' : 'validation',
      e.message,
      {
        code: e.code,
      },
    );
  throw e;
}

export const sessionRoutes: RouteSpec[] = [
  route({
    method: 'post',
    path: '/session',
    tag: 'Вход',
    summary: 'Войти в консоль: логин и пароль; ответ ставит cookie сессии и даёт CSRF-токен для записи',
    description:
      'Неизвестный логин, неверный пароль и отключённая учётная запись получают один и тот же ответ 401. ' +
      `После ${SIGN_IN_LIMITS.perLoginAndAddress} неудачных попыток входа под одним логином с одного адреса ` +
      `(или ${SIGN_IN_LIMITS.perAddress} под любыми логинами) адрес получает 429 с Retry-After на ` +
      `${SIGN_IN_LIMITS.minutes} минут; вход с других адресов не блокируется. Снять блокировку: ` +
      '`reglament users unlock <логин>` или сброс пароля.',
    roles: 'public',
    scope: SHARED,
    body: z.strictObject({ login: z.string().min(1, 'введите логин').max(100), password }),
    responses: {
      200: { description: 'Вход выполнен', schema: session },
      401: { description: 'Войти не удалось (логин, пароль или учётная запись)', schema: problem },
      429: { description: 'Слишком много неудачных попыток с этого адреса', schema: problem },
    },
    handler: async ({ ctx, body, req }) => {
      const now = ctx.now();
      const throttle = signInThrottleOf(ctx);
      await throttle.admit(req, body.login);
      const result = await checkSignIn(ctx.db, body.login, body.password, new Date(now));
      if (!result.ok) {
        await throttle.failed(req, body.login);
        // One answer for every refusal: which logins exist, and in what state, is not told.
        throw new Problem(
          'unauthorized',
          'Неверный логин или пароль, либо вход для этой учётной записи закрыт. ' +
            'Если это повторяется, обратитесь к администратору.',
          { code: 'invalid_credentials' },
        );
      }
      await throttle.succeeded(req, body.login);
      const created = await createSession(
        ctx.db,
        result.user.id,
        new Date(now),
        req.header('user-agent') ?? null,
      );
      return {
        status: 200,
        headers: {
          'Set-Cookie': sessionCookie(req, created.token, created.expiresAt),
          'Cache-Control': 'no-store',
        },
        body: {
          user: userView(result.user),
          csrfToken: created.csrfToken,
          expiresAt: created.expiresAt.toISOString(),
        },
      };
    },
  }),
  route({
    method: 'get',
    path: '/session',
    tag: 'Вход',
    summary: 'Текущая сессия консоли: пользователь, роль, организация и CSRF-токен',
    roles: 'public',
    scope: OWN,
    responses: {
      200: { description: 'Сессия', schema: session },
      401: { description: 'Вход не выполнен', schema: problem },
    },
    handler: async ({ ctx, req }) => {
      const s = await sessionOf(ctx, req);
      if (!s) throw new Problem('unauthorized', 'Вход не выполнен.', { code: 'no_session' });
      return {
        status: 200,
        headers: { 'Cache-Control': 'no-store' },
        body: { user: s.user, csrfToken: s.csrfToken, expiresAt: s.expiresAt.toISOString() },
      };
    },
  }),
  route({
    method: 'delete',
    path: '/session',
    tag: 'Вход',
    summary: 'Выйти',
    roles: 'public',
    scope: OWN,
    responses: { 204: { description: 'Сессия завершена' } },
    handler: async ({ ctx, req }) => {
      const token = cookieOf(req, SESSION_COOKIE);
      if (token) await deleteSession(ctx.db, token);
      return { status: 204, headers: { 'Set-Cookie': clearedSessionCookie(req) } };
    },
  }),
  route({
    method: 'post',
    path: '/session/password',
    tag: 'Вход',
    summary: 'Сменить свой пароль (обязательно после временного пароля); другие сессии завершаются',
    roles: 'authenticated',
    scope: OWN,
    body: z.strictObject({ currentPassword: password, newPassword: password }),
    responses: {
      200: { description: 'Пароль изменён', schema: user },
      403: { description: 'Текущий пароль неверен', schema: problem },
    },
    handler: async ({ ctx, body, req, principal }) => {
      if (!principal.keyId.startsWith('user:'))
        throw new Problem('validation', 'Пароль меняют люди, вошедшие в консоль; у ключа API пароля нет.');
      const row = await findUser(ctx.db, principal.keyId.slice('user:'.length));
      if (!row || !(await verifyPassword(body.currentPassword, row.passwordHash)))
        throw new Problem('forbidden', 'Текущий пароль введён неверно.', { code: 'wrong_password' });
      if (body.currentPassword === body.newPassword)
        throw new Problem('validation', 'Новый пароль должен отличаться от текущего.');
      const updated = await setPassword(ctx.db, row.id, body.newPassword, {
        mustChange: false,
        keepSession: cookieOf(req, SESSION_COOKIE) ?? undefined,
      }).catch(userProblem);
      return { status: 200, body: updated };
    },
  }),
  route({
    method: 'get',
    path: '/people',
    tag: 'Пользователи',
    summary: 'Кому можно назначить заявку: действующие сотрудники (логин, имя, роль)',
    description:
      'Для формы «Назначить»: исполнитель выбирается из сотрудников, а не вводится текстом, чтобы один человек ' +
      'не появлялся под разными именами. Ключ или сотрудник организации видит только людей своей организации.',
    roles: ROLES,
    scope: ORGANIZATION,
    responses: { 200: { description: 'Сотрудники', schema: z.object({ items: z.array(person) }) } },
    handler: async ({ ctx, principal }) => ({
      status: 200,
      body: {
        items: (await listUsers(ctx.db))
          .filter(
            (u) =>
              !u.disabled && (!principal.organizationId || u.organizationId === principal.organizationId),
          )
          .map(({ login, name, role, organizationId }) => ({ login, name, role, organizationId })),
      },
    }),
  }),
  route({
    method: 'get',
    path: '/users',
    tag: 'Пользователи',
    summary: 'Люди, которые входят в консоль',
    roles: [],
    scope: GLOBAL,
    responses: { 200: { description: 'Пользователи', schema: z.object({ items: z.array(user) }) } },
    handler: async ({ ctx }) => ({ status: 200, body: { items: await listUsers(ctx.db) } }),
  }),
  route({
    method: 'post',
    path: '/users',
    tag: 'Пользователи',
    summary:
      'Создать пользователя; без пароля — временный, который он сменит при входе (показывается один раз)',
    roles: [],
    scope: GLOBAL,
    body: z.strictObject({
      login: z.string().min(2).max(100),
      name: text(200),
      role: z.enum(ROLES),
      email: z.email('некорректный адрес').optional(),
      organizationId: optionalText(100),
      password: z.string().max(200).optional(),
    }),
    responses: {
      201: {
        description: 'Создан',
        schema: z.object({ user, temporaryPassword: z.string().nullable() }),
      },
      409: { description: 'Логин занят', schema: problem },
    },
    handler: async ({ ctx, body }) => {
      const temporary = body.password ? null : generatePassword();
      const created = await createUser(ctx.db, {
        login: body.login,
        name: body.name,
        role: body.role,
        email: body.email ?? null,
        organizationId: body.organizationId ?? null,
        password: body.password ?? temporary!,
        mustChangePassword: !body.password,
      }).catch(userProblem);
      return { status: 201, body: { user: created, temporaryPassword: temporary } };
    },
  }),
  route({
    method: 'put',
    path: '/users/:id',
    tag: 'Пользователи',
    summary: 'Изменить имя, адрес, роль или организацию пользователя',
    roles: [],
    scope: GLOBAL,
    params: z.strictObject({ id: z.string().max(100) }),
    body: z.strictObject({
      name: text(200).optional(),
      email: z.email('некорректный адрес').nullable().optional(),
      role: z.enum(ROLES).optional(),
      organizationId: z.string().max(100).nullable().optional(),
    }),
    responses: { 200: { description: 'Изменён', schema: user } },
    handler: async ({ ctx, params, body }) => {
      const updated = await updateUser(ctx.db, params.id, {
        ...(body.name !== undefined && { name: body.name }),
        ...(body.email !== undefined && { email: body.email }),
        ...(body.role !== undefined && { role: body.role }),
        ...(body.organizationId !== undefined && { organizationId: body.organizationId || null }),
      }).catch(userProblem);
      if (!updated) throw new Problem('not_found', `Пользователь ${params.id} не найден.`);
      return { status: 200, body: updated };
    },
  }),
  route({
    method: 'post',
    path: '/users/:id/disable',
    tag: 'Пользователи',
    summary: 'Отключить пользователя (его сессии завершаются) или включить снова (enabled: true)',
    roles: [],
    scope: GLOBAL,
    params: z.strictObject({ id: z.string().max(100) }),
    body: z.strictObject({ enabled: z.boolean().default(false) }),
    responses: { 200: { description: 'Готово', schema: user } },
    handler: async ({ ctx, params, body, principal }) => {
      if (!body.enabled && principal.keyId === `user:${params.id}`)
        throw new Problem('conflict', 'Нельзя отключить самого себя.');
      const updated = await setUserDisabled(ctx.db, params.id, !body.enabled);
      if (!updated) throw new Problem('not_found', `Пользователь ${params.id} не найден.`);
      return { status: 200, body: updated };
    },
  }),
  route({
    method: 'post',
    path: '/users/:id/reset-password',
    tag: 'Пользователи',
    summary: 'Сбросить пароль: новый временный пароль (показывается один раз), блокировка снимается',
    roles: [],
    scope: GLOBAL,
    params: z.strictObject({ id: z.string().max(100) }),
    responses: {
      200: { description: 'Временный пароль', schema: z.object({ user, temporaryPassword: z.string() }) },
    },
    handler: async ({ ctx, params }) => {
      const temporary = generatePassword();
      const updated = await setPassword(ctx.db, params.id, temporary, { mustChange: true }).catch(
        userProblem,
      );
      return { status: 200, body: { user: updated, temporaryPassword: temporary } };
    },
  }),
  route({
    method: 'get',
    path: '/views',
    tag: 'Очередь',
    summary: 'Сохранённые представления очереди (фильтры) текущего пользователя',
    roles: 'authenticated',
    scope: OWN,
    responses: { 200: { description: 'Представления', schema: z.object({ items: z.array(savedView) }) } },
    handler: async ({ ctx, principal }) => ({
      status: 200,
      body: { items: await listViews(ctx.db, principal.keyId) },
    }),
  }),
  route({
    method: 'post',
    path: '/views',
    tag: 'Очередь',
    summary: 'Сохранить представление очереди под именем (то же имя заменяет прежнее)',
    roles: 'authenticated',
    scope: OWN,
    body: z.strictObject({
      name: text(100),
      filters: z.record(z.string().max(40), z.string().max(200)).refine((f) => Object.keys(f).length <= 20, {
        message: 'не более 20 фильтров',
      }),
    }),
    responses: { 201: { description: 'Сохранено', schema: savedView } },
    handler: async ({ ctx, principal, body }) => ({
      status: 201,
      body: await saveView(ctx.db, principal.keyId, body.name, body.filters),
    }),
  }),
  route({
    method: 'delete',
    path: '/views/:id',
    tag: 'Очередь',
    summary: 'Удалить сохранённое представление',
    roles: 'authenticated',
    scope: OWN,
    params: z.strictObject({ id: z.coerce.number().int().positive() }),
    responses: { 204: { description: 'Удалено' } },
    handler: async ({ ctx, principal, params }) => {
      if (!(await deleteView(ctx.db, principal.keyId, params.id)))
        throw new Problem('not_found', 'Представление не найдено.');
      return { status: 204 };
    },
  }),
];
