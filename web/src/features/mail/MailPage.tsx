/**
 * Mail in every inbox state. A held message (the desk could not attach it on its own) is read safely
 * — its text, or its HTML sanitised (DOMPurify) in a sandboxed frame that may run nothing — and then
 * attached to a ticket, turned into a new ticket, or ignored.
 */
import {
  Alert,
  Button,
  Card,
  Grid,
  Group,
  SegmentedControl,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { notify } from '../../lib/notify';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import DOMPurify from 'dompurify';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, ok } from '../../api/client';
import { queries, queryKeys } from '../../api/queries';
import { useRegulations, zoneOf } from '../../lib/regulations';
import { formatLocal } from '../../lib/time';
import { describeOutcome } from './outcome';
import { SenderBadge } from './SenderBadge';

/** Mail is the desk's, not a ticket's: its times are in the default regulation's zone (МСК±N). */
function useDeskZone(): string {
  const regs = useRegulations();
  return zoneOf(regs.data, regs.data?.defaultId ?? 'primorye');
}

const STATES = [
  { value: 'held', label: 'Ждут оператора' },
  { value: 'pending', label: 'В обработке' },
  { value: 'failed', label: 'Ошибки' },
  { value: 'done', label: 'Обработаны' },
  { value: 'ignored', label: 'Проигнорированы' },
  { value: 'duplicate', label: 'Повторы' },
] as const;
type State = (typeof STATES)[number]['value'];

/** The HTML of a mail with everything active removed; shown in a frame without scripts or forms. */
function safeHtml(html: string): string {
  const clean = DOMPurify.sanitize(html, {
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'iframe', 'object', 'embed', 'link', 'meta', 'base'],
    FORBID_ATTR: ['style'],
  });
  return `<!doctype html><meta charset="utf-8"><base target="_blank"><body style="font-family:sans-serif;font-size:14px">${clean}</body>`;
}

function Message({ id, onDone }: { id: number; onDone: () => void }) {
  const zone = useDeskZone();
  const msg = useQuery(queries.inbox.message(id));
  const [view, setView] = useState<'text' | 'html'>('text');
  const [ticketId, setTicketId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const release = async (body: { ticketId: string } | { action: 'new' | 'dismiss' }) => {
    setError(null);
    try {
      const result = (await ok(api.POST('/inbox/{id}/release', { params: { path: { id } }, body }))) as {
        ticketId?: string;
        status: string;
      };
      notify({
        color: 'teal',
        message:
          'action' in body && body.action === 'dismiss'
            ? `Письмо ${id} проигнорировано`
            : `Письмо ${id} → заявка ${result.ticketId ?? ''}`,
      });
      onDone();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  if (!msg.data) return <Text>Загрузка…</Text>;
  const m = msg.data;
  return (
    <Stack>
      <Title order={3} size="h4">
        {m.subject || '(без темы)'}
      </Title>
      <Text size="sm">
        <b>От:</b> {m.from ?? '—'} · <b>получено:</b> {formatLocal(m.receivedAt, zone)} · <b>итог:</b>{' '}
        {describeOutcome(m.outcome, m.status)}
        {m.ticketId && (
          <>
            {' '}
            · <Link to={`/tickets/${m.ticketId}`}>{m.ticketId}</Link>
          </>
        )}
      </Text>
      <SenderBadge auth={m.senderAuth} />
      {m.parseError && <Alert color="orange">Письмо не разобрано: {m.parseError}</Alert>}
      {m.html && (
        <SegmentedControl
          aria-label="Вид письма"
          value={view}
          onChange={(v) => setView(v as 'text' | 'html')}
          data={[
            { value: 'text', label: 'Текст' },
            { value: 'html', label: 'Оформленное (без скриптов)' },
          ]}
        />
      )}
      {view === 'html' && m.html ? (
        <iframe
          title="Письмо в оформлении отправителя"
          className="mail-frame"
          sandbox=""
          srcDoc={safeHtml(m.html)}
        />
      ) : (
        <Card withBorder>
          <Text className="pre" size="sm" data-testid="mail-text">
            {m.text || '(пустое письмо)'}
          </Text>
        </Card>
      )}
      {m.attachments.length > 0 && (
        <Text size="sm">
          Вложения: {m.attachments.map((a) => `${a.fileName} (${Math.ceil(a.size / 1024)} КБ)`).join(', ')}
        </Text>
      )}
      {m.status === 'held' && (
        <Card withBorder>
          <Stack>
            <Group align="flex-end">
              <TextInput
                label="Приложить к заявке"
                placeholder="ID100001"
                value={ticketId}
                onChange={(e) => setTicketId(e.currentTarget.value)}
              />
              <Button disabled={!ticketId.trim()} onClick={() => void release({ ticketId: ticketId.trim() })}>
                Приложить
              </Button>
            </Group>
            <Group>
              <Button variant="default" onClick={() => void release({ action: 'new' })}>
                Создать заявку из письма
              </Button>
              <Button variant="default" color="red" onClick={() => void release({ action: 'dismiss' })}>
                Игнорировать
              </Button>
            </Group>
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
          </Stack>
        </Card>
      )}
    </Stack>
  );
}

export default function MailPage() {
  const zone = useDeskZone();
  const client = useQueryClient();
  const [state, setState] = useState<State>('held');
  const [open, setOpen] = useState<number | null>(null);
  const list = useQuery({ ...queries.inbox.list(state), refetchInterval: 15_000 });
  return (
    <Stack>
      <Title order={2}>Почта</Title>
      <Tabs
        value={state}
        onChange={(v) => {
          setState((v as State) ?? 'held');
          setOpen(null);
        }}
      >
        <Tabs.List>
          {STATES.map((s) => (
            <Tabs.Tab key={s.value} value={s.value}>
              {s.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Grid>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Table highlightOnHover aria-label="Письма">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>№</Table.Th>
                <Table.Th>Отправитель</Table.Th>
                <Table.Th>Итог</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(list.data ?? []).map((m) => (
                <Table.Tr key={m.id} data-current={open === m.id} className="queue-row">
                  <Table.Td>
                    <UnstyledButton
                      onClick={() => setOpen(m.id)}
                      style={{ fontWeight: 600, textDecoration: 'underline' }}
                    >
                      {m.id}
                    </UnstyledButton>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{m.envelopeFrom || '(пустой отправитель)'}</Text>
                    <SenderBadge auth={m.senderAuth} />
                    <Text size="xs" c="gray.8">
                      {formatLocal(m.receivedAt, zone)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{describeOutcome(m.outcome, m.status)}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {list.data?.length === 0 && <Text c="gray.8">Писем в этом состоянии нет.</Text>}
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          {open !== null ? (
            <Message
              key={open}
              id={open}
              onDone={() => {
                setOpen(null);
                void client.invalidateQueries({ queryKey: queryKeys.inbox.all() });
              }}
            />
          ) : (
            <Text c="gray.8">Выберите письмо слева.</Text>
          )}
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
