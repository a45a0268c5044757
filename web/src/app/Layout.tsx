import { AppShell, Badge, Burger, Button, Group, NavLink, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useEffect, type ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { useLiveUpdates } from '../lib/live';
import { clearOtherPagesNotifications } from '../lib/notify';
import { useOrganizationName } from '../lib/OrganizationPicker';
import { can, ROLE_LABELS, useSignOut, useUser } from '../lib/session';
import { useShortcuts } from '../lib/shortcuts';
import { CalendarWarning } from '../features/admin/CalendarAdmin';

export function Layout({ children }: { children: ReactNode }) {
  const user = useUser();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const navigate = useNavigate();
  const signOut = useSignOut();
  const live = useLiveUpdates();
  const organization = useOrganizationName(user.organizationId);
  useEffect(() => clearOtherPagesNotifications(location.pathname), [location.pathname]);
  useShortcuts({
    'g q': () => void navigate('/queue'),
    'g n': () => can.register(user) && void navigate('/register'),
    'g m': () => can.mail(user) && void navigate('/mail'),
    'g f': () => void navigate('/faq'),
    'g d': () => can.dashboard(user) && void navigate('/dashboard'),
  });
  const links = [
    { to: '/queue', label: 'Очередь', hint: 'g q', show: true },
    { to: '/register', label: 'Новая заявка', hint: 'g n', show: can.register(user) },
    { to: '/mail', label: 'Почта', hint: 'g m', show: can.mail(user) },
    { to: '/faq', label: 'База знаний (FAQ)', hint: 'g f', show: true },
    { to: '/dashboard', label: 'Панель руководителя', hint: 'g d', show: can.dashboard(user) },
    { to: '/admin', label: 'Администрирование', hint: '', show: can.organizations(user) },
  ].filter((l) => l.show);
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 230, breakpoint: 'md', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <a className="skip-link" href="#main">
        Перейти к содержимому
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="md" size="sm" aria-label="Меню" />
            <Title order={1} size="h4">
              reglament
            </Title>
            <Tooltip label={live ? 'Очередь обновляется сама' : 'Нет связи с сервером: переподключение…'}>
              <Badge color={live ? 'teal.9' : 'gray.7'} variant="outline" aria-live="polite">
                {live ? 'в реальном времени' : 'нет связи'}
              </Badge>
            </Tooltip>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Stack gap={0} visibleFrom="sm" align="flex-end">
              <Text size="sm" fw={600}>
                {user.name}
              </Text>
              <Text size="xs" c="gray.8">
                {ROLE_LABELS[user.role]}
                {organization ? ` · ${organization}` : ''}
              </Text>
            </Stack>
            <Button variant="default" size="xs" onClick={() => void signOut()}>
              Выйти
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Разделы">
        {links.map((l) => (
          <NavLink
            key={l.to}
            component={Link}
            to={l.to}
            label={l.label}
            title={l.hint ? `Клавиши: ${l.hint}` : undefined}
            active={location.pathname.startsWith(l.to)}
            variant="filled"
            onClick={close}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        {/* Issue #20: from 1 October, until next year's production calendar is loaded. */}
        {user?.role === 'admin' && <CalendarWarning />}
        {children}
      </AppShell.Main>
    </AppShell>
  );
}
