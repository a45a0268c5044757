/** Saved views: a person's named filter sets, stored per user in PostgreSQL (GET/POST /views). */
import { ActionIcon, Button, Group, Select, TextInput, Popover, Stack } from '@mantine/core';
import { notify } from '../../lib/notify';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ok } from '../../api/client';
import { queries, queryKeys } from '../../api/queries';

export function SavedViews({
  filters,
  onApply,
}: {
  filters: Record<string, string>;
  onApply: (filters: Record<string, string>) => void;
}) {
  const client = useQueryClient();
  const views = useQuery(queries.views());
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<string | null>(null);
  const items = views.data?.items ?? [];
  const save = async () => {
    const active = Object.fromEntries(Object.entries(filters).filter(([, v]) => v));
    try {
      const saved = await ok(api.POST('/views', { body: { name, filters: active } }));
      await client.invalidateQueries({ queryKey: queryKeys.views.all() });
      setChosen(String(saved.id));
      setName('');
      notify({ color: 'teal', message: `Вид «${saved.name}» сохранён` });
    } catch (e) {
      notify({ color: 'red', message: (e as Error).message });
    }
  };
  const remove = async () => {
    if (!chosen) return;
    await api.DELETE('/views/{id}', { params: { path: { id: Number(chosen) } } });
    setChosen(null);
    await client.invalidateQueries({ queryKey: queryKeys.views.all() });
  };
  return (
    <Group gap="xs" align="flex-end">
      <Select
        label="Сохранённые виды"
        placeholder={items.length ? 'выберите' : 'пока нет'}
        data={items.map((v) => ({ value: String(v.id), label: v.name }))}
        value={chosen}
        onChange={(v) => {
          setChosen(v);
          const view = items.find((i) => String(i.id) === v);
          if (view) onApply(view.filters);
        }}
        w={220}
        clearable
      />
      {chosen && (
        <ActionIcon variant="default" size="lg" aria-label="Удалить вид" onClick={() => void remove()}>
          ✕
        </ActionIcon>
      )}
      <Popover position="bottom-end" withArrow trapFocus>
        <Popover.Target>
          <Button variant="default">Сохранить вид…</Button>
        </Popover.Target>
        <Popover.Dropdown>
          <Stack gap="xs">
            <TextInput label="Название вида" value={name} onChange={(e) => setName(e.currentTarget.value)} />
            <Button disabled={!name.trim()} onClick={() => void save()}>
              Сохранить текущие фильтры
            </Button>
          </Stack>
        </Popover.Dropdown>
      </Popover>
    </Group>
  );
}
