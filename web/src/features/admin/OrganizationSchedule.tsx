/**
 * An organisation's own production calendar and working schedule (issue #20): set by an admin of the
 * whole installation, applied to tickets opened afterwards under the regulations that allow it (each
 * regulation's clause is shown).
 */
import { Alert, Button, Card, Checkbox, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { queries, queryKeys, type WorkSchedule } from '../../api/queries';
import { notify } from '../../lib/notify';

export interface SchedulePolicy {
  regulation: string;
  title: string;
  allowed: boolean;
  basis: string;
}

const REGULATION_CALENDAR = '';

export function OrganizationSchedule({
  id,
  calendar,
  schedule,
  policies,
}: {
  id: string;
  calendar: string | null;
  schedule: WorkSchedule | null;
  policies: readonly SchedulePolicy[];
}) {
  const client = useQueryClient();
  const versions = useQuery(queries.calendars.list());
  const ids = [
    ...new Set([
      'ru',
      ...((versions.data as { items?: { calendar: string }[] } | undefined)?.items ?? []).map(
        (v) => v.calendar,
      ),
    ]),
  ];
  const [chosen, setChosen] = useState(calendar ?? REGULATION_CALENDAR);
  const [own, setOwn] = useState(!!schedule);
  const [hours, setHours] = useState<WorkSchedule>(
    schedule ?? { workdayStart: '09:00', workdayEnd: '18:00', shortenPreHolidays: true },
  );
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    setError(null);
    try {
      await ok(
        api.PUT('/organizations/{id}/calendar', {
          params: { path: { id } },
          body: { calendar: chosen || null, schedule: own ? hours : null },
        }),
      );
      notify({ color: 'green', message: 'Календарь и график сохранены: они действуют для новых заявок.' });
      await client.invalidateQueries({ queryKey: queryKeys.organizations.all() });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={3} size="h5">
          Календарь и рабочий график
        </Title>
        {policies.map((p) => (
          <Text size="sm" key={p.regulation} c={p.allowed ? undefined : 'gray.8'}>
            {p.allowed ? 'Применяется' : 'Не применяется'}: {p.basis}
          </Text>
        ))}
        <Group align="flex-end">
          <Select
            label="Производственный календарь"
            data={[
              { value: REGULATION_CALENDAR, label: 'как в регламенте' },
              ...ids.map((c) => ({ value: c, label: c })),
            ]}
            value={chosen}
            onChange={(v) => setChosen(v ?? REGULATION_CALENDAR)}
            allowDeselect={false}
            w={240}
          />
          <Checkbox
            label="Свой рабочий график"
            checked={own}
            onChange={(e) => setOwn(e.currentTarget.checked)}
          />
          <TextInput
            label="Начало дня (ЧЧ:ММ)"
            value={hours.workdayStart}
            disabled={!own}
            onChange={(e) => setHours({ ...hours, workdayStart: e.currentTarget.value })}
            w={140}
          />
          <TextInput
            label="Конец дня (ЧЧ:ММ)"
            value={hours.workdayEnd}
            disabled={!own}
            onChange={(e) => setHours({ ...hours, workdayEnd: e.currentTarget.value })}
            w={140}
          />
          <Checkbox
            label="Сокращать предпраздничные дни на час"
            checked={hours.shortenPreHolidays}
            disabled={!own}
            onChange={(e) => setHours({ ...hours, shortenPreHolidays: e.currentTarget.checked })}
          />
          <Button onClick={() => void save()}>Сохранить календарь и график</Button>
        </Group>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
