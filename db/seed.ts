/**
 * What a new installation needs to be tried: a demo organisation with authorised persons (seed 000
 * п. 3.3.1), a few FAQ articles (seed 003 п. 3.1.1), one admin key and the console's first admin with
 * a one-time password, printed once. Idempotent: a second run changes nothing and creates no second key.
 */
import { sql } from 'drizzle-orm';
import type { Database } from './client';
import { underStartupLock } from './migrate';
import { createApiKey } from './repositories/apiKeys';
import { saveFaqArticles } from './repositories/faq';
import { createUser, generatePassword } from './repositories/users';
import { apiKeys, authorizedPersons, organizations, users } from './schema';

export interface SeedResult {
  /** The admin key, when this run created it (the only time it is shown). */
  readonly adminKey: string | null;
  /** The console's first admin, when this run created it: a one-time password, changed at sign-in. */
  readonly adminSignIn: { readonly login: string; readonly password: string } | null;
  readonly created: readonly string[];
}

const FAQ = [
  {
    id: 'faq-status',
    question: 'Как узнать статус поданного через виджет заявления?',
    answer:
      'Статус заявления отображается в личном кабинете на Госуслугах в разделе «Заявления». Уведомления приходят на электронную почту и в мобильное приложение.',
    keywords: 'статус заявление личный кабинет виджет',
  },
  {
    id: 'faq-login',
    question: 'Не удаётся войти через Госуслуги на сайте партнёра',
    answer:
      'Проверьте, что учётная запись подтверждена, очистите кэш браузера и повторите вход. Если ошибка повторяется, сообщите время попытки и текст ошибки.',
    keywords: 'вход авторизация учётная запись ЕСИА',
  },
  {
    id: 'faq-certificate',
    question: 'Почему при оплате сертификатом не списываются баллы?',
    answer:
      'Оплата сертификатом возможна только в торговых точках-участниках. Убедитесь, что терминал поддерживает карту жителя, и повторите оплату.',
    keywords: 'сертификат баллы оплата карта жителя',
  },
];

/**
 * Seeds under the start-up lock (db/migrate.ts): replicas starting together on an empty database
 * create one admin and one key between them (issue #21).
 */
export function seed(db: Database): Promise<SeedResult> {
  return underStartupLock(db, seedOnce);
}

async function seedOnce(db: Database): Promise<SeedResult> {
  const created: string[] = [];
  const org = await db
    .insert(organizations)
    .values({ id: 'demo-bubblegum', name: '«Бубль-Гум»', inn: '2536321426', domains: ['bubblegum.example'] })
    .onConflictDoNothing()
    .returning({ id: organizations.id });
  if (org.length) created.push('демо-организация «Бубль-Гум»');
  const persons = await db
    .insert(authorizedPersons)
    .values([
      {
        id: 'demo-person-1',
        organizationId: 'demo-bubblegum',
        fullName: 'Тестов Тест Тестович',
        email: 'director@bubblegum.example',
        position: 'Руководитель отдела маркетинга',
      },
      {
        id: 'demo-person-2',
        organizationId: 'demo-bubblegum',
        fullName: 'Петров Петр Петрович',
        email: 'manager@bubblegum.example',
        position: 'Менеджер отдела продаж',
      },
    ])
    .onConflictDoNothing()
    .returning({ id: authorizedPersons.id });
  if (persons.length) created.push(`${persons.length} уполномоченных лица`);
  const existing = (
    await db.execute<{ n: number }>(
      sql`select count(*)::int as n from faq_articles where id in ${FAQ.map((f) => f.id)}`,
    )
  ).rows[0]!.n;
  if (existing < FAQ.length) {
    await saveFaqArticles(
      db,
      FAQ.map((f) => ({ ...f, source: 'seed' })),
    );
    created.push(`${FAQ.length} статьи FAQ`);
  }
  const [{ n }] = (await db.execute<{ n: number }>(sql`select count(*)::int as n from ${apiKeys}`)).rows as [
    { n: number },
  ];
  let adminKey: string | null = null;
  if (n === 0) {
    adminKey = (
      await createApiKey(db, {
        name: 'Администратор (создан при первом запуске)',
        role: 'admin',
        personId: 'admin',
        personName: 'Администратор',
      })
    ).key;
    created.push('ключ администратора');
  }
  const [{ people }] = (
    await db.execute<{ people: number }>(sql`select count(*)::int as people from ${users}`)
  ).rows as [{ people: number }];
  let adminSignIn: SeedResult['adminSignIn'] = null;
  if (people === 0) {
    const password = generatePassword();
    await createUser(db, {
      login: 'admin',
      name: 'Администратор',
      role: 'admin',
      password,
      mustChangePassword: true,
    });
    adminSignIn = { login: 'admin', password };
    created.push('администратор консоли');
  }
  return { adminKey, adminSignIn, created };
}
