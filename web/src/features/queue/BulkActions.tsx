/**
 * Bulk actions on the selected rows: assign, comment, escalate. Each ticket's command is decided by
 * the regulation on its own; the result is shown per row (done, or the refusal's reason).
 */
import { Button, Group, Modal, Select, Stack, Table, Text, Textarea } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { runCommand, type TicketSummary } from '../../api/client';
import { useUser } from '../../lib/session';
import { queryKeys } from '../../api/queries';

type Kind = 'assign' | 'comment' | 'escalate';

const TITLES: Record<Kind, string> = {
  assign: 'Назначить исполнителя',
  comment: 'Добавить комментарий',
  escalate: 'Передать на следующую линию',
};

export function BulkActions({ selected, onDone }: { selected: TicketSummary[]; onDone: () => void }) {
  const user = useUser();
  const client = useQueryClient();
  const [kind, setKind] = useState<Kind | null>(null);
  const [text, setText] = useState('');
  const [visibility, setVisibility] = useState<'internal' | 'public'>('internal');
  const [results, setResults] = useState<{ id: string; ok: boolean; message: string }[] | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    if (!kind) return;
    setBusy(true);
    const out: { id: string; ok: boolean; message: string }[] = [];
    for (const t of selected) {
      const body =
        kind === 'assign'
          ? { assignee: { id: user.login, name: user.name } }
          : kind === 'comment'
            ? { text, visibility }
            : { reason: text };
      try {
        const { ticket } = await runCommand(t.id, kind, body);
        out.push({
          id: t.id,
          ok: true,
          message: ticket ? `готово: ${ticket.statusLabel}, ${ticket.lineLabel}` : 'готово',
        });
      } catch (e) {
        out.push({ id: t.id, ok: false, message: (e as Error).message });
      }
    }
    setResults(out);
    setBusy(false);
    await client.invalidateQueries({ queryKey: queryKeys.tickets.all() });
  };
  const close = () => {
    setKind(null);
    setResults(null);
    setText('');
    onDone();
  };
  return (
    <>
      {selected.length > 0 && (
        <Group
          gap="xs"
          p="xs"
          bg="blue.0"
          style={{ borderRadius: 4 }}
          role="region"
          aria-label="Действия с выбранными"
        >
          <Text size="sm" fw={600}>
            Выбрано: {selected.length}
          </Text>
          <Button size="xs" onClick={() => setKind('assign')}>
            Назначить на себя
          </Button>
          <Button size="xs" variant="default" onClick={() => setKind('comment')}>
            Комментарий
          </Button>
          <Button size="xs" variant="default" onClick={() => setKind('escalate')}>
            Эскалировать
          </Button>
        </Group>
      )}
      <Modal
        closeButtonProps={{ 'aria-label': 'Закрыть' }}
        opened={kind !== null}
        onClose={close}
        title={kind ? `${TITLES[kind]}: ${selected.length || results?.length} заявок` : ''}
        size="lg"
      >
        {results ? (
          <Stack>
            <Table aria-label="Результат по заявкам">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Заявка</Table.Th>
                  <Table.Th>Результат</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {results.map((r) => (
                  <Table.Tr key={r.id} data-result={r.ok ? 'ok' : 'refused'}>
                    <Table.Td>{r.id}</Table.Td>
                    <Table.Td>
                      <Text size="sm" c={r.ok ? 'teal.9' : 'red.9'}>
                        {r.ok ? '✓ ' : '✕ '}
                        {r.message}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Button onClick={close}>Готово</Button>
          </Stack>
        ) : (
          <Stack>
            {kind === 'assign' && <Text>Назначить исполнителем: {user.name}.</Text>}
            {kind === 'comment' && (
              <Select
                label="Кому виден комментарий"
                data={[
                  { value: 'internal', label: 'Только сотрудникам (внутренний)' },
                  { value: 'public', label: 'Инициатору (уйдёт письмом)' },
                ]}
                value={visibility}
                onChange={(v) => setVisibility((v as 'internal' | 'public') ?? 'internal')}
                allowDeselect={false}
              />
            )}
            {kind !== 'assign' && (
              <Textarea
                label={kind === 'escalate' ? 'Причина эскалации' : 'Текст'}
                required
                autosize
                minRows={3}
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
              />
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Отмена
              </Button>
              <Button loading={busy} disabled={kind !== 'assign' && !text.trim()} onClick={() => void run()}>
                Выполнить для {selected.length}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  );
}
