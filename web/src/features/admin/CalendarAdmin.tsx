/**
 * Production calendars (issue #20): the versions with their decrees, a year as the desk counts it
 * (loaded, or provisional by the Labour Code), and an import that shows the difference against the
 * current version before the admin accepts it.
 */
import {
  Alert,
  Badge,
  Button,
  Card,
  FileInput,
  Group,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { queries, queryKeys } from '../../api/queries';
import { notify } from '../../lib/notify';

interface DayChange {
  date: string;
  before: string | null;
  after: string;
}
interface Preview {
  diff: { year: number; added: boolean; changes: DayChange[] }[];
  totals: { year: number; workingDays: number; daysOff: number; hours40: number }[];
}

const ru = (d: string): string => `${d.slice(8, 10)}.${d.slice(5, 7)}.${d.slice(0, 4)}`;

export function CalendarWarning() {
  const list = useQuery(queries.calendars.list());
  const warning = (list.data as { warning?: string | null } | undefined)?.warning;
  if (!warning) return null;
  return (
    <Alert color="orange" title="Производственный календарь" data-testid="calendar-warning">
      {warning}
    </Alert>
  );
}

/** The calendars on file: the federal «ru» and the regional ones loaded on top of it. */
function calendarIds(items: readonly { calendar: string }[]): string[] {
  return [...new Set(['ru', ...items.map((v) => v.calendar)])];
}

function YearView({ calendars }: { calendars: readonly string[] }) {
  const [year, setYear] = useState<number>(new Date().getFullYear() + 1);
  const [calendar, setCalendar] = useState('ru');
  const data = useQuery(queries.calendars.year(year, calendar));
  const y = data.data as
    | {
        provisional: boolean;
        version: string | null;
        decree: string | null;
        holidays: string[];
        workingWeekends: string[];
        shortDays: string[];
        totals: { workingDays: number; hours40: number };
      }
    | undefined;
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Group>
          <NumberInput
            label="Год"
            value={year}
            onChange={(v) => setYear(Number(v))}
            min={2023}
            max={2100}
            w={120}
          />
          <Select
            label="Календарь"
            data={[...calendars]}
            value={calendar}
            onChange={(v) => setCalendar(v ?? 'ru')}
            allowDeselect={false}
            w={220}
          />
          {y &&
            (y.provisional ? (
              <Badge color="orange">предварительно, по ТК РФ</Badge>
            ) : (
              <Badge>{y.version}</Badge>
            ))}
        </Group>
        {y && (
          <>
            {y.decree && <Text size="sm">Постановление: {y.decree}</Text>}
            <Text size="sm">Нерабочие дни: {y.holidays.map(ru).join(', ')}</Text>
            <Text size="sm">Рабочие выходные: {y.workingWeekends.map(ru).join(', ') || '—'}</Text>
            <Text size="sm">Сокращённые дни: {y.shortDays.map(ru).join(', ') || '—'}</Text>
            <Text size="sm">
              Рабочих дней {y.totals.workingDays}, часов при 40-часовой неделе {y.totals.hours40}
            </Text>
          </>
        )}
      </Stack>
    </Card>
  );
}

function Import() {
  const client = useQueryClient();
  const [content, setContent] = useState<string | null>(null);
  const [decree, setDecree] = useState('');
  const [source, setSource] = useState('');
  const [calendar, setCalendar] = useState('ru');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [errors, setErrors] = useState<string[]>([]);

  const send = async (dryRun: boolean) => {
    if (!content) return;
    setErrors([]);
    const r = await api.POST('/calendars/import', {
      body: {
        content,
        dryRun,
        ...(calendar.trim() && calendar.trim() !== 'ru' && { calendar: calendar.trim() }),
        ...(decree && { decree }),
        ...(source && { source }),
      },
    });
    if (r.error) {
      const e = r.error as { detail?: string; errors?: { line: number | null; message: string }[] };
      setErrors(
        e.errors?.map((x) => (x.line ? `строка ${x.line}: ${x.message}` : x.message)) ?? [
          e.detail ?? 'Ошибка',
        ],
      );
      setPreview(null);
      return;
    }
    if (dryRun) setPreview(r.data as unknown as Preview);
    else {
      notify({
        color: 'green',
        message: 'Календарь загружен; открытые заявки получат его и пересчитают сроки.',
      });
      setPreview(null);
      setContent(null);
      await client.invalidateQueries({ queryKey: queryKeys.calendars.all() });
    }
  };

  return (
    <Card withBorder>
      <Stack gap="xs">
        <FileInput
          label="Файл календаря (CSV портала открытых данных, XML xmlcalendar или JSON)"
          accept=".csv,.xml,.json"
          onChange={async (f) => {
            setPreview(null);
            setContent(f ? await f.text() : null);
          }}
        />
        <Group grow>
          <TextInput
            label="Календарь"
            description="ru — федеральный; региональный, например ru-tatarstan: в файле только выходные региона, они добавляются к федеральным"
            value={calendar}
            onChange={(e) => {
              setPreview(null);
              setCalendar(e.currentTarget.value);
            }}
          />
          <TextInput
            label="Постановление (номер и дата)"
            value={decree}
            onChange={(e) => setDecree(e.currentTarget.value)}
          />
          <TextInput label="Откуда файл" value={source} onChange={(e) => setSource(e.currentTarget.value)} />
        </Group>
        <Group>
          <Button disabled={!content} onClick={() => void send(true)}>
            Проверить и показать разницу
          </Button>
          <Button disabled={!preview} onClick={() => void send(false)}>
            Принять
          </Button>
        </Group>
        {errors.length > 0 && (
          <Alert color="red" title="Файл не загружен">
            {errors.map((e) => (
              <Text size="sm" key={e}>
                {e}
              </Text>
            ))}
          </Alert>
        )}
        {preview && (
          <Stack gap="xs" data-testid="calendar-diff">
            {preview.totals.map((t) => (
              <Text size="sm" key={t.year}>
                {t.year}: рабочих дней {t.workingDays}, выходных и праздничных {t.daysOff}, часов {t.hours40}
              </Text>
            ))}
            {preview.diff.map((d) => (
              <Table key={d.year} withTableBorder>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>
                      {d.year}
                      {d.added ? ' (был предварительным)' : ''}
                    </Table.Th>
                    <Table.Th>Было</Table.Th>
                    <Table.Th>Станет</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {d.changes.map((c) => (
                    <Table.Tr key={c.date}>
                      <Table.Td>{ru(c.date)}</Table.Td>
                      <Table.Td>{c.before ?? '—'}</Table.Td>
                      <Table.Td>{c.after}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            ))}
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

export function CalendarAdmin() {
  const list = useQuery(queries.calendars.list());
  const items =
    (
      list.data as {
        items?: {
          id: string;
          calendar: string;
          extends: string | null;
          firstYear: number;
          lastYear: number;
          decree: string | null;
          loadedBy: string;
          loadedAt: string;
        }[];
      }
    )?.items ?? [];
  return (
    <Stack>
      <CalendarWarning />
      <Table withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Версия</Table.Th>
            <Table.Th>Календарь</Table.Th>
            <Table.Th>Годы</Table.Th>
            <Table.Th>Постановление</Table.Th>
            <Table.Th>Загрузил</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((v) => (
            <Table.Tr key={v.id}>
              <Table.Td>{v.id}</Table.Td>
              <Table.Td>
                {v.calendar}
                {v.extends ? ` (поверх ${v.extends})` : ''}
              </Table.Td>
              <Table.Td>
                {v.firstYear}–{v.lastYear}
              </Table.Td>
              <Table.Td>{v.decree ?? '—'}</Table.Td>
              <Table.Td>
                {v.loadedBy}, {new Date(v.loadedAt).toLocaleString('ru-RU')}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <YearView calendars={calendarIds(items)} />
      <Import />
    </Stack>
  );
}
