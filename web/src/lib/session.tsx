/** The signed-in person: who, which role, which organisation; what they may open. */
import { hashKey, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { api, getCsrfToken, setCsrfToken, type User } from '../api/client';
import { queries } from '../api/queries';
import { notify } from './notify';

const SessionContext = createContext<User | null>(null);

export function useUser(): User {
  const user = useContext(SessionContext);
  if (!user) throw new Error('useUser outside a session');
  return user;
}

export const SessionProvider = ({ user, children }: { user: User; children: ReactNode }) => (
  <SessionContext.Provider value={user}>{children}</SessionContext.Provider>
);

export function useSession() {
  return useQuery(queries.session());
}

/**
 * «Выйти» (issue #19: the screen kept the last person's name and ticket): the server is asked to end
 * the session, and at once the sign-in page replaces everything — the session is null (the shell
 * unmounts, which closes the live feed), every other cached query and mutation is dropped, the address
 * becomes «/». The session query itself stays in the cache holding null: `clear()` would detach the
 * shell's observer from it, and the screen would keep showing the person who left.
 */
export function useSignOut() {
  const client = useQueryClient();
  const navigate = useNavigate();
  return async () => {
    const token = getCsrfToken();
    const ended = api.DELETE('/session', { headers: token ? { 'X-CSRF-Token': token } : {} });
    setCsrfToken(null);
    const session = queries.session().queryKey;
    await client.cancelQueries();
    client.setQueryData(session, null);
    client.removeQueries({ predicate: (q) => q.queryHash !== hashKey(session) });
    client.getMutationCache().clear();
    void navigate('/', { replace: true });
    const { response } = await ended.catch(() => ({ response: null }));
    if (!response?.ok && response?.status !== 401)
      notify({
        color: 'red',
        message: 'Сервер не подтвердил выход: закройте окно браузера, чтобы сеанс завершился.',
        autoClose: false,
      });
  };
}

/** Who sees which part of the console (the API enforces the same roles). */
export const can = {
  dashboard: (u: User) => u.role === 'manager' || u.role === 'admin',
  admin: (u: User) => u.role === 'admin',
  organizations: (u: User) => u.role === 'manager' || u.role === 'admin',
  mail: (u: User) => ['first_line', 'manager', 'admin', 'regional_operator'].includes(u.role),
  faqEdit: (u: User) => ['manager', 'admin', 'regional_operator', 'federal_operator'].includes(u.role),
  register: (u: User) => ['first_line', 'manager', 'admin', 'regional_operator'].includes(u.role),
};

export const ROLE_LABELS: Record<User['role'], string> = {
  first_line: 'Первая линия',
  second_line: 'Вторая линия',
  third_line: 'Третья линия',
  manager: 'Руководитель',
  admin: 'Администратор',
  regional_operator: 'Оператор СП РПГУ',
  federal_operator: 'Оператор СП ЕПГУ',
};
