/**
 * The manager's dashboard: on-time share per week by line or type, breaches with a link to each
 * ticket's workflow in Temporal UI, the open backlog by status and age, p90 resolution in working
 * hours, each assignee's load; exported as CSV or XLSX. Recharts loads only with this page.
 */
import {
  Anchor,
  Button,
  Card,
  Center,
  Grid,
  Group,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import {
  Bar,
  BarChart,
  CartesianGrid,
  LabelList,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { Dashboard } from '../../api/client';
import { formatLocal } from '../../lib/time';
import { toCsv, download, toXlsx } from './export';
import { queries } from '../../api/queries';

const hours = (v: unknown): string => (typeof v === 'number' ? `${v} ч` : '');
const COLORS = ['#1864ab', '#c2255c', '#2b8a3e', '#e8590c', '#6741d9', '#0b7285', '#5c940d', '#862e9c'];
const AGES = [
  { key: '<1d', label: 'до суток' },
  { key: '1-3d', label: '1–3 дня' },
  { key: '3-7d', label: '3–7 дней' },
  { key: '>7d', label: 'больше недели' },
];

/** A chart, or «нет данных» where the period has nothing to draw (issue #19: bare axes). */
function ChartCard({
  title,
  children,
  label,
  empty,
}: {
  title: string;
  children: React.ReactNode;
  label: string;
  empty: boolean;
}) {
  return (
    <Card withBorder h="100%">
      <Title order={3} size="h5" mb="xs">
        {title}
      </Title>
      {empty ? (
        <Center h={260} data-chart={title}>
          <Text c="gray.8">нет данных</Text>
        </Center>
      ) : (
        <div role="img" aria-label={label} style={{ width: '100%', height: 260 }} data-chart={title}>
          <ResponsiveContainer width="100%" height="100%">
            {children as React.ReactElement}
          </ResponsiveContainer>
        </div>
      )}
    </Card>
  );
}

function weeklySeries(data: Dashboard, by: 'line' | 'type') {
  const weeks = [...new Set(data.weekly.map((w) => w.week))].sort();
  const keys = [...new Set(data.weekly.map((w) => (by === 'line' ? w.lineLabel : w.typeLabel)))];
  const rows = weeks.map((week) => {
    const row: Record<string, string | number | null> = {
      week: week.slice(5).split('-').reverse().join('.'),
    };
    for (const key of keys) {
      const cells = data.weekly.filter(
        (w) => w.week === week && (by === 'line' ? w.lineLabel : w.typeLabel) === key,
      );
      const resolved = cells.reduce((s, c) => s + c.resolved, 0);
      const onTime = cells.reduce((s, c) => s + c.onTime, 0);
      row[key] = resolved ? Math.round((onTime / resolved) * 100) : null;
    }
    return row;
  });
  return { rows, keys };
}

export default function DashboardPage() {
  const [weeks, setWeeks] = useState('12');
  const [by, setBy] = useState<'line' | 'type'>('line');
  const range = useMemo(() => {
    const to = new Date(Date.now() + 60_000);
    const from = new Date(to.getTime() - Number(weeks) * 7 * 86_400_000);
    return { from: from.toISOString(), to: to.toISOString() };
  }, [weeks]);
  const dash = useQuery({
    ...queries.dashboard(range),
    refetchInterval: 60_000,
  });
  if (!dash.data) return <Text>{dash.isError ? (dash.error as Error).message : 'Загрузка панели…'}</Text>;
  const d = dash.data;
  const weekly = weeklySeries(d, by);
  const statuses = [...new Set(d.backlog.map((b) => b.label))];
  const backlogRows = statuses.map((label) => {
    const row: Record<string, string | number> = { status: label };
    for (const a of AGES)
      row[a.label] = d.backlog
        .filter((b) => b.label === label && b.age === a.key)
        .reduce((s, b) => s + b.count, 0);
    return row;
  });
  const p90 = (by === 'line' ? d.byLine : d.byType).map((g) => ({
    group: g.label,
    p90: g.p90Hours,
    median: g.medianHours,
  }));
  const load = d.load.map((l) => ({
    who: l.assigneeName ?? 'не назначены',
    open: l.open,
    breached: l.breached,
  }));
  const table = (by === 'line' ? d.byLine : d.byType).map((g) => ({
    group: g.label,
    tickets: g.tickets,
    resolved: g.resolved,
    onTimeShare: g.resolved ? Math.round((g.onTime / g.resolved) * 1000) / 10 : null,
    breached: g.breached,
    provisional: g.provisional,
    median: g.medianHours,
    p90: g.p90Hours,
  }));
  const header = [
    by === 'line' ? 'Линия' : 'Тип',
    'Заявок',
    'Решено',
    'В срок, %',
    'Нарушено',
    // Issue #20: open tickets whose deadline is counted by the Labour Code (no calendar loaded for its year).
    'Предварительный срок',
    'Медиана, раб. ч',
    'p90, раб. ч',
  ];
  const rows = table.map((r) => [
    r.group,
    r.tickets,
    r.resolved,
    r.onTimeShare,
    r.breached,
    r.provisional,
    r.median,
    r.p90,
  ]);
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Панель руководителя</Title>
        <Group>
          <SegmentedControl
            aria-label="Период"
            value={weeks}
            onChange={setWeeks}
            data={[
              { value: '4', label: '4 недели' },
              { value: '12', label: '12 недель' },
              { value: '26', label: 'полгода' },
            ]}
          />
          <SegmentedControl
            aria-label="Разрез"
            value={by}
            onChange={(v) => setBy(v as 'line' | 'type')}
            data={[
              { value: 'line', label: 'по линиям' },
              { value: 'type', label: 'по типам' },
            ]}
          />
          <Button
            variant="default"
            onClick={() =>
              download('sla.csv', new Blob([toCsv(header, rows)], { type: 'text/csv;charset=utf-8' }))
            }
          >
            CSV
          </Button>
          <Button
            variant="default"
            onClick={() => void toXlsx(d, header, rows).then((blob) => download('sla.xlsx', blob))}
          >
            XLSX
          </Button>
        </Group>
      </Group>
      <Group gap="xl">
        <Text>
          Нарушений за период: <b>{d.breaches.total}</b>, из них открытых: <b>{d.breaches.open}</b>
        </Text>
        <Text>
          В очереди: <b>{d.backlog.reduce((s, b) => s + b.count, 0)}</b>
        </Text>
      </Group>
      <Grid>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <ChartCard
            title="Доля решённых в срок по неделям, %"
            label="Линейный график доли заявок, решённых в срок, по неделям"
            empty={weekly.rows.length === 0}
          >
            <LineChart data={weekly.rows}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="week" />
              <YAxis domain={[0, 100]} unit="%" />
              <Tooltip />
              <Legend itemSorter={null} />
              {weekly.keys.map((k, i) => (
                <Line
                  key={k}
                  type="monotone"
                  dataKey={k}
                  stroke={COLORS[i % COLORS.length]}
                  connectNulls
                  isAnimationActive={false}
                />
              ))}
            </LineChart>
          </ChartCard>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <ChartCard
            title="Очередь по статусам и возрасту"
            label="Столбчатая диаграмма открытых заявок по статусам и возрасту"
            empty={backlogRows.length === 0}
          >
            {/* Statuses on their own rows: long labels («На согласовании в министерстве») were dropped
                under columns. */}
            <BarChart data={backlogRows} layout="vertical">
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis type="number" allowDecimals={false} />
              <YAxis type="category" dataKey="status" width={190} interval={0} />
              <Tooltip />
              <Legend itemSorter={null} />
              {AGES.map((a, i) => (
                <Bar key={a.key} dataKey={a.label} stackId="age" fill={COLORS[i]} isAnimationActive={false} />
              ))}
            </BarChart>
          </ChartCard>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <ChartCard
            title="Время решения, рабочие часы (медиана и p90)"
            label="Столбчатая диаграмма медианы и 90-го процентиля времени решения"
            empty={p90.every((g) => g.median === null && g.p90 === null)}
          >
            <BarChart data={p90}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="group" />
              <YAxis unit=" ч" />
              <Tooltip />
              <Legend itemSorter={null} />
              {/* A median of 0 h is a result, not a missing bar: a sliver and its value show it. */}
              <Bar
                dataKey="median"
                name="медиана"
                fill={COLORS[0]}
                isAnimationActive={false}
                minPointSize={3}
              >
                <LabelList dataKey="median" position="top" formatter={hours} />
              </Bar>
              <Bar dataKey="p90" name="p90" fill={COLORS[1]} isAnimationActive={false} minPointSize={3}>
                <LabelList dataKey="p90" position="top" formatter={hours} />
              </Bar>
            </BarChart>
          </ChartCard>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <ChartCard
            title="Нагрузка исполнителей (открытые заявки)"
            label="Столбчатая диаграмма открытых и просроченных заявок по исполнителям"
            empty={load.length === 0}
          >
            <BarChart data={load} layout="vertical">
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis type="number" allowDecimals={false} />
              <YAxis type="category" dataKey="who" width={140} />
              <Tooltip />
              <Legend itemSorter={null} />
              <Bar dataKey="open" name="открыто" fill={COLORS[0]} isAnimationActive={false} />
              <Bar dataKey="breached" name="просрочено" fill={COLORS[1]} isAnimationActive={false} />
            </BarChart>
          </ChartCard>
        </Grid.Col>
      </Grid>
      <Card withBorder>
        <Title order={3} size="h5" mb="xs">
          SLA {by === 'line' ? 'по линиям' : 'по типам'}
        </Title>
        <Table aria-label="SLA">
          <Table.Thead>
            <Table.Tr>
              {header.map((h) => (
                <Table.Th key={h}>{h}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={String(r[0])}>
                {r.map((c, i) => (
                  <Table.Td key={i}>{c ?? '—'}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
      <Card withBorder>
        <Title order={3} size="h5" mb="xs">
          Нарушения сроков
        </Title>
        <Table aria-label="Заявки с нарушенным сроком">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Заявка</Table.Th>
              <Table.Th>Статус</Table.Th>
              <Table.Th>Линия / исполнитель</Table.Th>
              <Table.Th>Срок был</Table.Th>
              <Table.Th>Процесс</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.breaches.items.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/tickets/${t.id}`}>
                    {t.id}
                  </Anchor>{' '}
                  <Text span size="xs">
                    {t.typeLabel}
                  </Text>
                </Table.Td>
                <Table.Td>{t.statusLabel}</Table.Td>
                <Table.Td>
                  {t.lineLabel} · {t.assigneeName ?? 'не назначен'}
                </Table.Td>
                <Table.Td>
                  {formatLocal(t.slaDueAt, d.timeZone)}
                  {t.slaDueProvisional && (
                    <Text span size="xs" c="orange.9" data-provisional>
                      {' '}
                      (предварительный срок)
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {t.temporal ? (
                    <Anchor href={t.temporal} target="_blank" rel="noreferrer">
                      Temporal UI
                    </Anchor>
                  ) : (
                    '—'
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {d.breaches.items.length === 0 && <Text c="gray.8">Нарушений за период нет.</Text>}
      </Card>
    </Stack>
  );
}
