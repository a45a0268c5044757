/** Reply to the initiator (a public comment, sent by mail) or an internal note; Ctrl+Enter sends. */
import { Alert, Button, Group, SegmentedControl, Select, Stack, Textarea } from '@mantine/core';
import { notify } from '../../lib/notify';
import { useState } from 'react';
import { runCommand, type ReplyTemplate } from '../../api/client';
import { useShortcuts } from '../../lib/shortcuts';

export function Composer({
  ticketId,
  templates,
  onSent,
}: {
  ticketId: string;
  templates: ReplyTemplate[];
  onSent: () => void;
}) {
  const [visibility, setVisibility] = useState<'public' | 'internal'>('public');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const own = templates.filter((t) => t.command === 'comment' && (t.visibility ?? 'internal') === visibility);
  const send = async () => {
    if (!text.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      await runCommand(ticketId, 'comment', { text, visibility });
      notify({
        color: 'teal',
        message: visibility === 'public' ? 'Ответ отправлен инициатору' : 'Заметка добавлена',
      });
      setText('');
      onSent();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  useShortcuts({ 'ctrl+Enter': () => void send() });
  return (
    <Stack gap="xs" component="section" aria-label="Ответ или заметка">
      <Group justify="space-between">
        <SegmentedControl
          aria-label="Кому"
          value={visibility}
          onChange={(v) => setVisibility(v as 'public' | 'internal')}
          data={[
            { value: 'public', label: 'Ответ инициатору' },
            { value: 'internal', label: 'Внутренняя заметка' },
          ]}
        />
        {own.length > 0 && (
          <Select
            aria-label="Шаблон ответа"
            placeholder="Шаблон регламента"
            data={own.map((t) => ({ value: t.id, label: `${t.title} (${t.clause})` }))}
            onChange={(id) => {
              const t = own.find((x) => x.id === id);
              if (t) setText(t.text);
            }}
            clearable
            w={280}
          />
        )}
      </Group>
      <Textarea
        label={
          visibility === 'public'
            ? 'Текст ответа (уйдёт инициатору письмом)'
            : 'Текст заметки (видят только сотрудники)'
        }
        autosize
        minRows={3}
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
      />
      {error && (
        <Alert color="red" role="alert" title="Не отправлено">
          {error}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button onClick={() => void send()} loading={busy} disabled={!text.trim()}>
          {visibility === 'public' ? 'Отправить ответ' : 'Добавить заметку'} (Ctrl+Enter)
        </Button>
      </Group>
    </Stack>
  );
}
