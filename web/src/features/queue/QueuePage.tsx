/**
 * The queue: the regulation's statuses, remaining working time per clock (orange from the warning
 * fraction, red once breached), filters, Russian full-text search, saved views, keyset paging, bulk
 * actions, «взять в работу» in one click, and the keyboard (j/k, Enter, x, t, /).
 */
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notify } from '../../lib/notify';
import { keepPreviousData, useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, ok, runCommand, type ClockSummary, type TicketSummary } from '../../api/client';
import { mayTake, useRegulations, zoneOf } from '../../lib/regulations';
import { useUser } from '../../lib/session';
import { useShortcuts } from '../../lib/shortcuts';
import { clockLabel, formatLocal, formatRemaining, URGENCY_COLOR, urgencyOf } from '../../lib/time';
import { OrganizationPicker } from '../../lib/OrganizationPicker';
import { BulkActions } from './BulkActions';
import { SavedViews } from './SavedViews';
import { queries, queryKeys } from '../../api/queries';

const PAGE = 50;

/** Filters live in the address, so a view is a link and the back button works. */
export const FILTER_KEYS = [
  'status',
  'type',
  'line',
  'mine',
  'organization',
  'breached',
  'awaitingOperator',
  'workflowMissing',
  'regulation',
  'q',
  'sort',
] as const;

function ClockCell({ clocks }: { clocks: ClockSummary[] | undefined }) {
  if (!clocks) return <Text size="sm">…</Text>;
  const shown = clocks.filter((c) => c.state !== 'stopped' || c.breached);
  if (!shown.length) return <Text size="sm">—</Text>;
  return (
    <Stack gap={2}>
      {shown.map((c) => {
        const u = urgencyOf(c);
        return (
          <Tooltip
            key={c.name}
            label={`${clockLabel(c.name)}: ${c.provisional ? 'предварительный срок' : 'срок'} ${c.dueAt ? new Date(c.dueAt).toLocaleString('ru-RU') : 'не задан'}`}
          >
            <Badge
              color={URGENCY_COLOR[u]}
              variant="filled"
              size="md"
              radius="sm"
              styles={{ label: { textTransform: 'none', fontWeight: 600 } }}
            >
              {clockLabel(c.name)}:{' '}
              {c.state === 'paused'
                ? `пауза, ${formatRemaining(c)}`
                : c.breached
                  ? `нарушен ${formatRemaining(c)}`
                  : formatRemaining(c)}
              {/* Issue #20: counted by the Labour Code until the year's calendar is loaded. */}
              {c.provisional && c.dueAt && (
                <Text span size="xs" fw={600} data-provisional>
                  {' '}
                  · предварительный срок
                </Text>
              )}
            </Badge>
          </Tooltip>
        );
      })}
    </Stack>
  );
}

export function QueuePage() {
  const user = useUser();
  const navigate = useNavigate();
  const client = useQueryClient();
  const regs = useRegulations();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [q] = useDebouncedValue(search, 300);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [current, setCurrent] = useState(0);
  const searchRef = useRef<HTMLInputElement>(null);

  const filters = Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? ''])) as Record<
    (typeof FILTER_KEYS)[number],
    string
  >;
  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
    setSelected(new Set());
    setCurrent(0);
  };
  useEffect(() => {
    if (q.trim() !== (params.get('q') ?? '')) set('q', q.trim() || null);
  }, [q]);

  const query = {
    ...(filters.status && { status: filters.status }),
    ...(filters.type && { type: filters.type }),
    ...(filters.line && { line: filters.line }),
    ...(filters.mine && { assignee: user.login }),
    ...(filters.organization && { organization: filters.organization }),
    ...(filters.breached && { breached: 'true' as const }),
    ...(filters.awaitingOperator && { awaitingOperator: 'true' as const }),
    ...(filters.workflowMissing && { workflowMissing: 'true' as const }),
    ...(filters.regulation && { regulation: filters.regulation as 'primorye' | 'epgu' }),
    ...(filters.q && { q: filters.q }),
    sort: (filters.sort || 'due') as 'due' | 'received',
  };

  const list = useInfiniteQuery({
    queryKey: queryKeys.tickets.list(query),
    queryFn: ({ pageParam }) =>
      ok(
        api.GET('/tickets', {
          params: { query: { ...query, limit: PAGE, ...(pageParam && { cursor: pageParam }) } },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // Rows stay while a changed filter loads: no flicker, no lost selection under the cursor.
    placeholderData: keepPreviousData,
  });
  const rows: TicketSummary[] = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const ids = rows.map((r) => r.id);
  const clocks = useQuery({
    ...queries.clocks(ids),
    enabled: ids.length > 0,
    // Remaining time moves with the clock: refresh each minute even without changes.
    refetchInterval: 60_000,
    placeholderData: (prev) => prev,
  });

  const statusOptions = useMemo(() => {
    const seen = new Map<string, string>();
    for (const r of regs.data?.list ?? [])
      for (const [code, s] of Object.entries(r.statuses))
        seen.set(
          code,
          seen.has(code) && seen.get(code) !== s.label ? `${seen.get(code)} / ${s.label}` : s.label,
        );
    return [...seen].map(([value, label]) => ({ value, label }));
  }, [regs.data]);
  const typeOptions = useMemo(
    () =>
      (regs.data?.list ?? [])
        .flatMap((r) =>
          Object.entries(r.requestTypes).map(([value, t]) => ({
            value,
            label: `${t.label} (${r.id === 'epgu' ? 'ЕПГУ' : 'СП'})`,
          })),
        )
        .filter((o, i, a) => a.findIndex((x) => x.value === o.value) === i),
    [regs.data],
  );
  const lineOptions = useMemo(
    () =>
      (regs.data?.list ?? []).flatMap((r) =>
        Object.entries(r.lines).map(([value, l]) => ({ value, label: l.label })),
      ),
    [regs.data],
  );
  const lineLabel = (r: TicketSummary) => regs.data?.byId[r.regulation]?.lines[r.line]?.label ?? r.line;

  const canTake = (r: TicketSummary) => mayTake(regs.data?.byId[r.regulation], user.role, r.line);
  const take = async (row: TicketSummary) => {
    try {
      await runCommand(row.id, 'assign', { assignee: { id: user.login, name: user.name } });
      notify({ color: 'teal', message: `${row.id}: взята в работу` });
    } catch (e) {
      notify({ color: 'red', title: `${row.id}: не удалось взять`, message: (e as Error).message });
    }
    await client.invalidateQueries({ queryKey: queryKeys.tickets.all() });
  };

  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  useShortcuts({
    j: () => setCurrent((c) => Math.min(c + 1, rows.length - 1)),
    k: () => setCurrent((c) => Math.max(c - 1, 0)),
    Enter: () => rows[current] && void navigate(`/tickets/${rows[current].id}`),
    o: () => rows[current] && void navigate(`/tickets/${rows[current].id}`),
    x: () => rows[current] && toggle(rows[current].id),
    t: () => rows[current] && !rows[current].assignee && canTake(rows[current]) && void take(rows[current]),
    '/': () => searchRef.current?.focus(),
    r: () => void list.refetch(),
  });

  const clockOf = clocks.data?.items as Record<string, ClockSummary[]> | undefined;

  return (
    <Stack gap="sm">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>Очередь</Title>
        <SavedViews filters={filters} onApply={(f) => setParams(new URLSearchParams(f), { replace: true })} />
      </Group>
      <Group gap="xs" align="flex-end" wrap="wrap">
        <TextInput
          ref={searchRef}
          label="Поиск (клавиша /)"
          placeholder="слова из темы, описания, переписки"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={260}
          type="search"
        />
        <MultiSelect
          label="Статус"
          data={statusOptions}
          value={filters.status ? filters.status.split(',') : []}
          onChange={(v) => set('status', v.join(',') || null)}
          clearable
          w={240}
          placeholder="все"
        />
        <Select
          label="Тип"
          data={typeOptions}
          value={filters.type || null}
          onChange={(v) => set('type', v)}
          clearable
          w={200}
          placeholder="все"
        />
        <Select
          label="Линия"
          data={lineOptions}
          value={filters.line || null}
          onChange={(v) => set('line', v)}
          clearable
          w={190}
          placeholder="все"
        />
        {!user.organizationId && (
          <OrganizationPicker
            value={filters.organization || null}
            onChange={(v) => set('organization', v)}
            w={220}
            placeholder="все"
          />
        )}
        <Select
          label="Порядок"
          data={[
            { value: 'due', label: 'по сроку SLA' },
            { value: 'received', label: 'новые первыми' },
          ]}
          value={filters.sort || 'due'}
          onChange={(v) => set('sort', v === 'due' ? null : v)}
          w={160}
          allowDeselect={false}
        />
      </Group>
      <Group gap="lg">
        <Checkbox
          label="Мои"
          checked={!!filters.mine}
          onChange={(e) => set('mine', e.currentTarget.checked ? '1' : null)}
        />
        <Checkbox
          label="Срок нарушен"
          checked={!!filters.breached}
          onChange={(e) => set('breached', e.currentTarget.checked ? '1' : null)}
        />
        <Checkbox
          label="Получен ответ инициатора"
          checked={!!filters.awaitingOperator}
          onChange={(e) => set('awaitingOperator', e.currentTarget.checked ? '1' : null)}
        />
        <Checkbox
          label="Процесс заявки не найден"
          checked={!!filters.workflowMissing}
          onChange={(e) => set('workflowMissing', e.currentTarget.checked ? '1' : null)}
        />
      </Group>
      <BulkActions selected={rows.filter((r) => selected.has(r.id))} onDone={() => setSelected(new Set())} />
      {list.isError && (
        <Alert color="red" role="alert" title="Очередь не загрузилась">
          {(list.error as Error).message}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={900}>
        <Table striped={false} highlightOnHover verticalSpacing={6} aria-label="Заявки" data-testid="queue">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={36}>
                <Checkbox
                  aria-label="Выбрать все на странице"
                  checked={rows.length > 0 && rows.every((r) => selected.has(r.id))}
                  indeterminate={selected.size > 0 && !rows.every((r) => selected.has(r.id))}
                  onChange={(e) => setSelected(e.currentTarget.checked ? new Set(ids) : new Set())}
                />
              </Table.Th>
              <Table.Th>Заявка</Table.Th>
              <Table.Th>Статус</Table.Th>
              <Table.Th>Тема и инициатор</Table.Th>
              <Table.Th>Линия / исполнитель</Table.Th>
              <Table.Th>Осталось рабочего времени</Table.Th>
              <Table.Th>Поступила</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r, i) => (
              <Table.Tr
                key={r.id}
                className="queue-row"
                data-current={i === current}
                data-ticket={r.id}
                onClick={() => setCurrent(i)}
              >
                <Table.Td>
                  <Checkbox
                    aria-label={`Выбрать ${r.id}`}
                    checked={selected.has(r.id)}
                    onChange={() => toggle(r.id)}
                  />
                </Table.Td>
                <Table.Td>
                  <Link to={`/tickets/${r.id}`} style={{ fontWeight: 600 }}>
                    {r.id}
                  </Link>
                  <Text size="xs" c="gray.8">
                    {r.typeLabel}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Stack gap={2} align="flex-start">
                    <Badge variant="outline" color="blue.9" styles={{ label: { textTransform: 'none' } }}>
                      {r.statusLabel}
                    </Badge>
                    {r.attention.map((a) => (
                      <Badge
                        key={a.code}
                        color={a.code === 'awaiting_operator' ? 'violet.8' : 'yellow.4'}
                        autoContrast
                        variant="filled"
                        size="xs"
                        data-attention={a.code}
                        styles={{ label: { textTransform: 'none' } }}
                      >
                        {a.label}
                      </Badge>
                    ))}
                    {r.workflowMissing && (
                      <Badge color="red.9" size="xs" styles={{ label: { textTransform: 'none' } }}>
                        процесс не найден
                      </Badge>
                    )}
                  </Stack>
                </Table.Td>
                <Table.Td maw={360}>
                  <Text size="sm" lineClamp={2}>
                    {r.subject ?? '(без темы)'}
                  </Text>
                  <Text size="xs" c="gray.8">
                    {r.initiator.name ?? r.initiator.email ?? '—'}
                    {r.organization ? ` · ${r.organization}` : ''}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{lineLabel(r)}</Text>
                  {r.assignee ? (
                    <Text size="xs" c="gray.8">
                      {r.assignee.name}
                    </Text>
                  ) : !canTake(r) ? (
                    <Text size="xs" c="gray.8">
                      не назначен
                    </Text>
                  ) : (
                    <Button
                      size="compact-xs"
                      variant="outline"
                      onClick={() => void take(r)}
                      title="Клавиша t"
                    >
                      Взять в работу
                    </Button>
                  )}
                </Table.Td>
                <Table.Td>
                  <ClockCell clocks={clockOf?.[r.id]} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{formatLocal(r.receivedAt, zoneOf(regs.data, r.regulation))}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {!list.isPending && rows.length === 0 && <Text c="gray.8">Заявок с такими условиями нет.</Text>}
      <Group>
        {list.hasNextPage && (
          <Button
            variant="default"
            onClick={() => void list.fetchNextPage()}
            loading={list.isFetchingNextPage}
          >
            Показать ещё {PAGE}
          </Button>
        )}
        <Text size="xs" c="gray.8">
          Показано: {rows.length}. Клавиши: j/k — строка, Enter — открыть, x — выбрать, t — взять в работу, /
          — поиск.
        </Text>
      </Group>
    </Stack>
  );
}
