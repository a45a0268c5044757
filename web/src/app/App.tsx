/** Routes: the queue loads with the shell; every other page is its own chunk, loaded when opened. */
import { Center, Loader } from '@mantine/core';
import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { QueuePage } from '../features/queue/QueuePage';
import { can, SessionProvider, useSession } from '../lib/session';
import { ChangePassword } from './ChangePassword';
import { Layout } from './Layout';
import { Login } from './Login';

const TicketPage = lazy(() => import('../features/ticket/TicketPage'));
const RegisterPage = lazy(() => import('../features/register/RegisterPage'));
const MailPage = lazy(() => import('../features/mail/MailPage'));
const FaqPage = lazy(() => import('../features/faq/FaqPage'));
const DashboardPage = lazy(() => import('../features/dashboard/DashboardPage'));
const AdminPage = lazy(() => import('../features/admin/AdminPage'));

const Loading = () => (
  <Center h="50vh" aria-busy="true">
    <Loader aria-label="Загрузка" />
  </Center>
);

function NotAllowed() {
  return <Navigate to="/queue" replace />;
}

export function App() {
  const session = useSession();
  if (session.isPending) return <Loading />;
  const s = session.data;
  if (!s) return <Login />;
  if (s.user.mustChangePassword) return <ChangePassword user={s.user} />;
  const user = s.user;
  return (
    <SessionProvider user={user}>
      <Layout>
        <Suspense fallback={<Loading />}>
          <Routes>
            <Route path="/" element={<Navigate to="/queue" replace />} />
            <Route path="/queue" element={<QueuePage />} />
            <Route path="/tickets/:id" element={<TicketPage />} />
            <Route path="/register" element={can.register(user) ? <RegisterPage /> : <NotAllowed />} />
            <Route path="/mail" element={can.mail(user) ? <MailPage /> : <NotAllowed />} />
            <Route path="/faq" element={<FaqPage />} />
            <Route path="/dashboard" element={can.dashboard(user) ? <DashboardPage /> : <NotAllowed />} />
            <Route path="/admin" element={can.organizations(user) ? <AdminPage /> : <NotAllowed />} />
            <Route path="*" element={<Navigate to="/queue" replace />} />
          </Routes>
        </Suspense>
      </Layout>
    </SessionProvider>
  );
}
