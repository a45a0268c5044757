/** The signed-in person: who, which role, which organisation; what they may open. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, type ReactNode } from 'react';
import { api, ApiError, ok, setCsrfToken, type Session, type User } from '../api/client';

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
  return useQuery({
    queryKey: ['session'],
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
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return async () => {
    await api.DELETE('/session');
    setCsrfToken(null);
    client.clear();
    client.setQueryData(['session'], null);
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
