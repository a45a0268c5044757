/**
 * Administration: people and their roles (admins), organisations and their authorised persons
 * (seed 000 п. 3.3.1–3.3.2; managers and admins), API keys for integrations (admins).
 */
import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notify } from '../../lib/notify';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok, type User } from '../../api/client';
import { queries, queryKeys, type ApiKeyRow, type AuthorizedPerson } from '../../api/queries';
import { OrganizationPicker } from '../../lib/OrganizationPicker';
import { can, ROLE_LABELS, useUser } from '../../lib/session';
import { CalendarAdmin } from './CalendarAdmin';
import { OrganizationSchedule } from './OrganizationSchedule';

const ROLE_OPTIONS = Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }));

function Secret({ title, value, onClose }: { title: string; value: string | null; onClose: () => void }) {
  return (
    <Modal
      closeButtonProps={{ 'aria-label': 'Закрыть' }}
      opened={value !== null}
      onClose={onClose}
      title={title}
    >
      <Stack>
        <Text size="sm">Показывается один раз: передайте его человеку надёжным способом.</Text>
        <Code block data-testid="secret">
          {value}
        </Code>
        <Button onClick={onClose}>Готово</Button>
      </Stack>
    </Modal>
  );
}

function People() {
  const me = useUser();
  const client = useQueryClient();
  const users = useQuery(queries.users());
  const orgs = useQuery(queries.organizations.list());
  const orgNames = new Map((orgs.data ?? []).map((o) => [o.id, o.name]));
  const [form, setForm] = useState({
    login: '',
    name: '',
    role: 'first_line',
    organizationId: '',
    email: '',
  });
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => void client.invalidateQueries({ queryKey: queryKeys.users.all() });
  const create = async () => {
    setError(null);
    try {
      const created = await ok(
        api.POST('/users', {
          body: {
            login: form.login,
            name: form.name,
            role: form.role as User['role'],
            ...(form.organizationId.trim() && { organizationId: form.organizationId.trim() }),
            ...(form.email.trim() && { email: form.email.trim() }),
          },
        }),
      );
      setSecret(`${created.user.login}: ${created.temporaryPassword}`);
      setForm({ login: '', name: '', role: 'first_line', organizationId: '', email: '' });
      refresh();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const toggle = async (u: User) => {
    try {
      await ok(
        api.POST('/users/{id}/disable', { params: { path: { id: u.id } }, body: { enabled: u.disabled } }),
      );
      refresh();
    } catch (e) {
      notify({ color: 'red', message: (e as Error).message });
    }
  };
  const reset = async (u: User) => {
    const r = await ok(api.POST('/users/{id}/reset-password', { params: { path: { id: u.id } } }));
    setSecret(`${u.login}: ${r.temporaryPassword}`);
    refresh();
  };
  return (
    <Stack>
      <Card withBorder>
        <Title order={3} size="h5" mb="xs">
          Новый сотрудник
        </Title>
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label="Логин"
            value={form.login}
            onChange={(e) => setForm({ ...form, login: e.currentTarget.value })}
          />
          <TextInput
            label="Имя"
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
          />
          <Select
            label="Роль"
            data={ROLE_OPTIONS}
            value={form.role}
            onChange={(v) => setForm({ ...form, role: v ?? 'first_line' })}
            allowDeselect={false}
          />
          <OrganizationPicker
            label="Организация (только её заявки)"
            placeholder="необязательно: название или ИНН"
            value={form.organizationId || null}
            onChange={(id) => setForm({ ...form, organizationId: id ?? '' })}
          />
          <TextInput
            label="E-mail"
            type="email"
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.currentTarget.value })}
          />
          <Button onClick={() => void create()} disabled={!form.login.trim() || !form.name.trim()}>
            Создать
          </Button>
        </Group>
        {error && (
          <Alert color="red" mt="sm" role="alert">
            {error}
          </Alert>
        )}
      </Card>
      <Table aria-label="Сотрудники">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Логин</Table.Th>
            <Table.Th>Имя</Table.Th>
            <Table.Th>Роль</Table.Th>
            <Table.Th>Организация</Table.Th>
            <Table.Th>Состояние</Table.Th>
            <Table.Th>Действия</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(users.data?.items ?? []).map((u) => (
            <Table.Tr key={u.id}>
              <Table.Td>{u.login}</Table.Td>
              <Table.Td>{u.name}</Table.Td>
              <Table.Td>{ROLE_LABELS[u.role]}</Table.Td>
              <Table.Td>
                {u.organizationId ? (orgNames.get(u.organizationId) ?? u.organizationId) : 'все'}
              </Table.Td>
              <Table.Td>
                {u.disabled ? (
                  <Badge color="gray.7">отключён</Badge>
                ) : u.lockedUntil ? (
                  <Badge color="red.9">заблокирован</Badge>
                ) : u.mustChangePassword ? (
                  <Badge color="orange.9">временный пароль</Badge>
                ) : (
                  <Badge color="teal.9">активен</Badge>
                )}
              </Table.Td>
              <Table.Td>
                <Group gap="xs">
                  <Button size="compact-xs" variant="default" onClick={() => void reset(u)}>
                    Сбросить пароль
                  </Button>
                  {u.id !== me.id && (
                    <Button size="compact-xs" variant="default" onClick={() => void toggle(u)}>
                      {u.disabled ? 'Включить' : 'Отключить'}
                    </Button>
                  )}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Secret title="Временный пароль" value={secret} onClose={() => setSecret(null)} />
    </Stack>
  );
}

function Organizations() {
  const client = useQueryClient();
  const user = useUser();
  // The calendar and schedule are the whole installation's admins' (issue #20).
  const setsSchedules = user.role === 'admin' && !user.organizationId;
  const orgs = useQuery(queries.organizations.list());
  const [open, setOpen] = useState<string | null>(null);
  const org = useQuery({ ...queries.organizations.detail(open ?? ''), enabled: !!open });
  const [form, setForm] = useState({ name: '', inn: '', domains: '' });
  const [person, setPerson] = useState({ fullName: '', email: '', position: '' });
  const [error, setError] = useState<string | null>(null);
  const create = async () => {
    setError(null);
    try {
      await ok(
        api.POST('/organizations', {
          body: {
            name: form.name,
            ...(form.inn.trim() && { inn: form.inn.trim() }),
            ...(form.domains.trim() && { domains: form.domains.split(/[\s,]+/).filter(Boolean) }),
          },
        }),
      );
      setForm({ name: '', inn: '', domains: '' });
      await client.invalidateQueries({ queryKey: queryKeys.organizations.all() });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const addPerson = async () => {
    setError(null);
    try {
      await ok(
        api.POST('/organizations/{id}/persons', {
          params: { path: { id: open! } },
          body: {
            fullName: person.fullName,
            email: person.email,
            ...(person.position.trim() && { position: person.position }),
          },
        }),
      );
      setPerson({ fullName: '', email: '', position: '' });
      await client.invalidateQueries({ queryKey: queryKeys.organizations.all() });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const revoke = async (p: AuthorizedPerson) => {
    await ok(
      api.DELETE('/organizations/{id}/persons/{personId}', {
        params: { path: { id: open!, personId: p.id } },
      }),
    );
    await client.invalidateQueries({ queryKey: queryKeys.organizations.all() });
  };
  return (
    <Stack>
      <Card withBorder>
        <Title order={3} size="h5" mb="xs">
          Новая организация
        </Title>
        <Group align="flex-end">
          <TextInput
            label="Название"
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
          />
          <TextInput
            label="ИНН"
            value={form.inn}
            onChange={(e) => setForm({ ...form, inn: e.currentTarget.value })}
          />
          <TextInput
            label="Почтовые домены"
            placeholder="dprim.ru"
            value={form.domains}
            onChange={(e) => setForm({ ...form, domains: e.currentTarget.value })}
          />
          <Button onClick={() => void create()} disabled={!form.name.trim()}>
            Добавить
          </Button>
        </Group>
      </Card>
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Table aria-label="Организации">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Организация</Table.Th>
            <Table.Th>ИНН</Table.Th>
            <Table.Th>Домены</Table.Th>
            <Table.Th>Календарь и график</Table.Th>
            <Table.Th>Уполномоченные лица</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(orgs.data ?? []).map((o) => (
            <Table.Tr key={o.id}>
              <Table.Td>
                {o.name}
                <Text size="xs" c="gray.8">
                  {o.id}
                </Text>
              </Table.Td>
              <Table.Td>{o.inn ?? '—'}</Table.Td>
              <Table.Td>{o.domains.join(', ') || '—'}</Table.Td>
              <Table.Td>
                {[o.calendar, o.schedule && `${o.schedule.workdayStart}–${o.schedule.workdayEnd}`]
                  .filter(Boolean)
                  .join(', ') || 'как в регламенте'}
              </Table.Td>
              <Table.Td>
                <Button size="compact-xs" variant="default" onClick={() => setOpen(o.id)}>
                  Открыть
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Modal
        closeButtonProps={{ 'aria-label': 'Закрыть' }}
        opened={!!open}
        onClose={() => setOpen(null)}
        title={`Уполномоченные лица: ${org.data?.name ?? ''} (п. 3.3.1–3.3.2)`}
        size="xl"
      >
        <Stack>
          {setsSchedules && org.data && (
            <OrganizationSchedule
              key={`${org.data.id}:${org.dataUpdatedAt}`}
              id={org.data.id}
              calendar={org.data.calendar ?? null}
              schedule={org.data.schedule ?? null}
              policies={org.data.schedulePolicies ?? []}
            />
          )}
          <Table aria-label="Уполномоченные лица">
            <Table.Tbody>
              {(org.data?.authorizedPersons ?? []).map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>{p.fullName}</Table.Td>
                  <Table.Td>{p.email}</Table.Td>
                  <Table.Td>{p.position ?? ''}</Table.Td>
                  <Table.Td>
                    {p.active ? (
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        color="red.9"
                        c="red.9"
                        onClick={() => void revoke(p)}
                      >
                        Лишить полномочий
                      </Button>
                    ) : (
                      <Badge color="gray.7">без полномочий</Badge>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group align="flex-end">
            <TextInput
              label="ФИО"
              value={person.fullName}
              onChange={(e) => setPerson({ ...person, fullName: e.currentTarget.value })}
            />
            <TextInput
              label="E-mail"
              type="email"
              value={person.email}
              onChange={(e) => setPerson({ ...person, email: e.currentTarget.value })}
            />
            <TextInput
              label="Должность"
              value={person.position}
              onChange={(e) => setPerson({ ...person, position: e.currentTarget.value })}
            />
            <Button
              onClick={() => void addPerson()}
              disabled={!person.fullName.trim() || !person.email.trim()}
            >
              Добавить
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function Keys() {
  const client = useQueryClient();
  const keys = useQuery(queries.keys());
  const [form, setForm] = useState({ name: '', role: 'first_line', organizationId: '' });
  const [secret, setSecret] = useState<string | null>(null);
  const create = async () => {
    const created = (await ok(
      api.POST('/keys', {
        body: {
          name: form.name,
          role: form.role as User['role'],
          ...(form.organizationId.trim() && { organizationId: form.organizationId.trim() }),
        },
      }),
    )) as unknown as { key: string };
    setSecret(created.key);
    setForm({ name: '', role: 'first_line', organizationId: '' });
    await client.invalidateQueries({ queryKey: queryKeys.keys.all() });
  };
  const revoke = async (k: ApiKeyRow) => {
    await ok(api.DELETE('/keys/{id}', { params: { path: { id: k.id } } }));
    await client.invalidateQueries({ queryKey: queryKeys.keys.all() });
  };
  return (
    <Stack>
      <Card withBorder>
        <Title order={3} size="h5" mb="xs">
          Новый ключ для интеграции
        </Title>
        <Group align="flex-end">
          <TextInput
            label="Назначение"
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
          />
          <Select
            label="Роль"
            data={ROLE_OPTIONS}
            value={form.role}
            onChange={(v) => setForm({ ...form, role: v ?? 'first_line' })}
            allowDeselect={false}
          />
          <OrganizationPicker
            label="Организация"
            placeholder="необязательно: название или ИНН"
            value={form.organizationId || null}
            onChange={(id) => setForm({ ...form, organizationId: id ?? '' })}
          />
          <Button onClick={() => void create()} disabled={!form.name.trim()}>
            Создать ключ
          </Button>
        </Group>
      </Card>
      <Table aria-label="Ключи API">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Ключ</Table.Th>
            <Table.Th>Назначение</Table.Th>
            <Table.Th>Роль</Table.Th>
            <Table.Th>Последнее использование</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(keys.data ?? []).map((k) => (
            <Table.Tr key={k.id}>
              <Table.Td>
                <Code>{k.id}</Code>
              </Table.Td>
              <Table.Td>{k.name}</Table.Td>
              <Table.Td>{ROLE_LABELS[k.role as User['role']] ?? k.role}</Table.Td>
              <Table.Td>{k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString('ru-RU') : '—'}</Table.Td>
              <Table.Td>
                {k.revokedAt ? (
                  <Badge color="gray.7">отозван</Badge>
                ) : (
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red.9"
                    c="red.9"
                    onClick={() => void revoke(k)}
                  >
                    Отозвать
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Secret title="Ключ API" value={secret} onClose={() => setSecret(null)} />
    </Stack>
  );
}

export default function AdminPage() {
  const user = useUser();
  const admin = can.admin(user);
  return (
    <Stack>
      <Title order={2}>Администрирование</Title>
      <Tabs defaultValue={admin ? 'people' : 'orgs'} keepMounted={false}>
        <Tabs.List>
          {admin && <Tabs.Tab value="people">Сотрудники и роли</Tabs.Tab>}
          <Tabs.Tab value="orgs">Организации</Tabs.Tab>
          {admin && <Tabs.Tab value="keys">Ключи API</Tabs.Tab>}
          {admin && <Tabs.Tab value="calendars">Производственный календарь</Tabs.Tab>}
        </Tabs.List>
        {admin && (
          <Tabs.Panel value="people" pt="md">
            <People />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="orgs" pt="md">
          <Organizations />
        </Tabs.Panel>
        {admin && (
          <Tabs.Panel value="keys" pt="md">
            <Keys />
          </Tabs.Panel>
        )}
        {admin && (
          <Tabs.Panel value="calendars" pt="md">
            <CalendarAdmin />
          </Tabs.Panel>
        )}
      </Tabs>
    </Stack>
  );
}
