/**
 * `reglament users create|list|disable|enable|reset-password|unlock`: people who sign in to the console, in
 * the installation's database (as `keys`, started for the moment when `npm start` is not running).
 */
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../domain';
import {
  createUser,
  findUser,
  generatePassword,
  listUsers,
  setPassword,
  setUserDisabled,
  unlockSignIn,
  UserError,
  type UserView,
} from '../db/repositories/users';
import { withDatabase } from './keys';
import { UsageError } from './usage';

/** What a person can do now, in the words an admin reads (issue #19: the truth after a reset). */
function userStatus(u: UserView): string {
  if (u.disabled) return 'отключён';
  const states = [
    ...(u.mustChangePassword ? ['нужна смена пароля'] : []),
    ...(u.lockedUntil
      ? [`вход с части адресов закрыт до ${u.lockedUntil.slice(0, 16).replace('T', ' ')} UTC`]
      : []),
  ];
  return states.join(', ') || 'активен';
}

export async function usersCommand(argv: string[]): Promise<string> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      login: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      email: { type: 'string' },
      organization: { type: 'string' },
      password: { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  const wrap = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (e) {
      if (e instanceof UserError) throw new UsageError(e.message);
      throw e;
    }
  };
  if (sub === 'create') {
    if (!values.login?.trim()) throw new UsageError('--login is required');
    if (!values.name?.trim())
      throw new UsageError('--name is required (the person’s name as colleagues see it)');
    if (!values.role || !ROLES.includes(values.role as Role))
      throw new UsageError(`--role is required: one of ${ROLES.join(', ')}`);
    const temporary = values.password ? null : generatePassword();
    const user = await wrap(() =>
      withDatabase((db) =>
        createUser(db, {
          login: values.login!,
          name: values.name!,
          role: values.role as Role,
          email: values.email ?? null,
          organizationId: values.organization ?? null,
          password: values.password ?? temporary!,
          mustChangePassword: !values.password,
        }),
      ),
    );
    return temporary
      ? `user ${user.login} (${user.role}) created\ntemporary password: ${temporary}\n(shown once; they choose their own at the first sign-in)`
      : `user ${user.login} (${user.role}) created`;
  }
  if (sub === 'list') {
    const users = await withDatabase((db) => listUsers(db));
    if (!users.length) return '(no users)';
    const header = ['LOGIN', 'ROLE', 'STATUS', 'LAST SIGN-IN', 'ORGANIZATION', 'NAME'];
    const rows = users.map((u) => [
      u.login,
      u.role,
      userStatus(u),
      u.lastSignInAt ? u.lastSignInAt.slice(0, 16).replace('T', ' ') : '—',
      u.organizationId ?? '—',
      u.name,
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    return [header, ...rows]
      .map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  '))
      .join('\n');
  }
  if (sub === 'unlock') {
    const login = positionals[0] ?? values.login;
    if (!login) throw new UsageError('users unlock needs the login (see `reglament users list`)');
    return withDatabase(async (db) => {
      const user = await findUser(db, login);
      await unlockSignIn(db, login);
      return user
        ? `sign-in as ${user.login} unlocked from every address`
        : `no user ${login}; its failed sign-ins are forgotten`;
    });
  }
  if (sub === 'disable' || sub === 'enable' || sub === 'reset-password') {
    const login = positionals[0] ?? values.login;
    if (!login) throw new UsageError(`users ${sub} needs the login (see \`reglament users list\`)`);
    return withDatabase(async (db) => {
      const user = await findUser(db, login);
      if (!user) throw new UsageError(`no user ${login}`);
      if (sub === 'reset-password') {
        const password = values.password ?? generatePassword();
        await wrap(() => setPassword(db, user.id, password, { mustChange: !values.password }));
        return values.password
          ? `password of ${user.login} set; the account is unlocked`
          : `temporary password of ${user.login}: ${password}\n(shown once; the account is unlocked and its sessions ended)`;
      }
      await setUserDisabled(db, user.id, sub === 'disable');
      return `user ${user.login} ${sub}d`;
    });
  }
  throw new UsageError(
    sub
      ? `unknown users command "${sub}" (create, list, disable, enable, reset-password, unlock)`
      : 'users needs a command: create, list, disable, enable, reset-password, unlock',
  );
}
