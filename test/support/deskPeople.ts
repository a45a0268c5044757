/**
 * The desk's people who work the lines, on file in every test stack: assignees are chosen from them
 * by login, and their names and addresses come from here (issue #18, finding 9).
 */
import type { Database } from '../../db/client';
import { createUser } from '../../db/repositories/users';
import type { Role } from '../../domain';

export const DESK_PEOPLE = [
  { login: 'ivanov', name: 'Иванов', role: 'first_line', email: 'ivanov@dprim.ru' },
  { login: 'petrova', name: 'Петрова А. А.', role: 'first_line', email: 'petrova@dprim.ru' },
  { login: 'sidorov', name: 'Сидоров', role: 'second_line', email: 'sidorov@dprim.ru' },
] as const satisfies readonly { login: string; name: string; role: Role; email: string }[];

export async function seedDeskPeople(db: Database): Promise<void> {
  for (const person of DESK_PEOPLE) await createUser(db, { ...person, password: 'Пароль-сотрудника-1' });
}
