/**
 * `reglament users create|list|disable|enable|reset-password`: people who sign in to the console, in
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
  UserError,
} from '../db/repositories/users';
import { withDatabase } from './keys';
import { UsageError } from './usage';

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
    return (
      users
        .map(
          (u) =>
            `${u.login.padEnd(20)} ${u.role.padEnd(17)} ${u.disabled ? 'disabled' : u.lockedUntil ? 'locked  ' : 'active  '} ${u.name}${u.organizationId ? ` [${u.organizationId}]` : ''}`,
        )
        .join('\n') || '(no users)'
    );
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
      ? `unknown users command "${sub}" (create, list, disable, enable, reset-password)`
      : 'users needs a command: create, list, disable, enable, reset-password',
  );
}
