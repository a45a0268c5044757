/**
 * A ticket: header, every clock with its deadline and remaining working time, the initiator (СНИЛС/ИНН
 * masked by the server for roles that may not see them), attachments, the timeline, the composer and
 * the actions the regulation allows now.
 */
import { Alert, Anchor, Badge, Card, Grid, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useRegulations } from '../../lib/regulations';
import {
  clockLabel,
  formatLocal,
  formatRemaining,
  isDeadlineClock,
  URGENCY_COLOR,
  urgencyOf,
} from '../../lib/time';
import { ActionPanel } from './ActionPanel';
import { Composer } from './Composer';
import { Timeline } from './Timeline';
import { SenderBadge } from '../mail/SenderBadge';
import { queries, queryKeys } from '../../api/queries';

const INITIATOR_FIELDS: [string, string][] = [
  ['fullName', 'ФИО'],
  ['email', 'E-mail'],
  // Issue #18, finding 8: typed in the request's body; the desk never writes to it on its own.
  ['statedEmail', 'E-mail из текста (не для писем)'],
  ['phone', 'Телефон'],
  ['position', 'Должность'],
  ['organization', 'Организация'],
  ['snils', 'СНИЛС'],
  ['inn', 'ИНН'],
  ['birthDate', 'Дата рождения'],
  ['contact', 'Способ связи'],
];

/** A date of birth as people write it in Russia (ДД.ММ.ГГГГ); other fields as entered. */
function shownField(key: string, value: string): string {
  const date = key === 'birthDate' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  return date ? `${date[3]}.${date[2]}.${date[1]}` : value;
}

const ACCESS_KIND: Record<string, string> = {
  grant: 'Получение доступа',
  change: 'Изменение доступа',
  deactivation: 'Деактивация доступа',
};

export default function TicketPage() {
  const { id = '' } = useParams();
  const client = useQueryClient();
  const regs = useRegulations();
  const ticket = useQuery(queries.ticket.view(id));
  const history = useQuery(queries.ticket.history(id));
  const actions = useQuery(queries.ticket.actions(id));
  const templates = useQuery(queries.ticket.templates(id));
  const refresh = () => void client.invalidateQueries({ queryKey: queryKeys.ticket.all(id) });

  if (ticket.isPending) return <Loader aria-label="Загрузка заявки" />;
  if (ticket.isError)
    return (
      <Alert color="red" role="alert" title="Заявка не открылась">
        {(ticket.error as Error).message}{' '}
        <Anchor component={Link} to="/queue">
          К очереди
        </Anchor>
      </Alert>
    );
  const t = ticket.data;
  const regulation = regs.data?.byId[t.regulation.id];
  const zone = regulation?.workingHours.timeZone ?? 'Europe/Moscow';
  const initiator = t.intake.initiator as Record<string, string | undefined>;
  const clocks = t.clocks.filter(
    (c) => isDeadlineClock(c.name) && (c.name !== 'followUp' || c.state !== 'stopped'),
  );
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={2}>{t.id}</Title>
            <Badge size="lg" variant="outline" color="blue.9" styles={{ label: { textTransform: 'none' } }}>
              {t.statusLabel}
            </Badge>
            {t.statusReasonLabel && <Text size="sm">{t.statusReasonLabel}</Text>}
            {t.attention.map((a) => (
              <Badge
                key={a.code}
                color={a.code === 'awaiting_operator' ? 'violet.8' : 'yellow.4'}
                autoContrast
                data-attention={a.code}
                styles={{ label: { textTransform: 'none' } }}
              >
                {a.label}
              </Badge>
            ))}
          </Group>
          <Text size="lg" fw={500}>
            {t.intake.subject ?? '(без темы)'}
          </Text>
          <Group gap="lg">
            <Text size="sm">
              <b>Тип:</b> {t.typeLabel}
            </Text>
            <Text size="sm">
              <b>Линия:</b> {t.lineLabel}
            </Text>
            <Text size="sm">
              <b>Исполнитель:</b> {t.assignee?.name ?? 'не назначен'}
            </Text>
            <Text size="sm">
              <b>Организация:</b> {initiator.organization ?? '—'}
            </Text>
            <Text size="sm">
              <b>Канал:</b> {t.channel === 'email' ? 'электронная почта' : 'телефон'}
            </Text>
            <Text size="sm">
              <b>Регламент:</b> {regulation?.title.slice(0, 60) ?? t.regulation.id}
            </Text>
          </Group>
        </Stack>
        <Group gap="xs">
          {t.links.temporal && (
            <Anchor href={t.links.temporal} target="_blank" rel="noreferrer">
              Процесс в Temporal UI
            </Anchor>
          )}
          <Anchor component={Link} to="/queue">
            ← К очереди
          </Anchor>
        </Group>
      </Group>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="md">
            <Card withBorder>
              {regulation && actions.data && (
                <ActionPanel
                  ticket={t}
                  actions={actions.data.items}
                  regulation={regulation}
                  templates={templates.data?.items ?? []}
                  onChanged={refresh}
                />
              )}
            </Card>
            <Card withBorder>
              <Title order={3} size="h5" mb="xs">
                Описание
              </Title>
              <Text className="pre">{t.intake.description ?? '—'}</Text>
              {(t.intake.actualResult || t.intake.expectedResult) && (
                <Table verticalSpacing={4} mt="sm" aria-label="Содержание заявки">
                  <Table.Tbody>
                    {t.intake.actualResult && (
                      <Table.Tr>
                        <Table.Th w={200}>Фактический результат</Table.Th>
                        <Table.Td className="pre">{t.intake.actualResult}</Table.Td>
                      </Table.Tr>
                    )}
                    {t.intake.expectedResult && (
                      <Table.Tr>
                        <Table.Th w={200}>Ожидаемый результат</Table.Th>
                        <Table.Td className="pre">{t.intake.expectedResult}</Table.Td>
                      </Table.Tr>
                    )}
                  </Table.Tbody>
                </Table>
              )}
              {t.intake.access && (
                <Card
                  component="section"
                  withBorder
                  mt="sm"
                  bg="blue.0"
                  aria-labelledby="access-title"
                  padding="sm"
                >
                  <Text fw={600} size="sm" id="access-title">
                    Запрос на доступ к Модулю (п. 3.3.1–3.3.2)
                  </Text>
                  <Text size="sm">
                    {ACCESS_KIND[t.intake.access.kind]}
                    {t.intake.access.targetUser ? `: ${t.intake.access.targetUser}` : ''}
                  </Text>
                  <Text size="sm">
                    Уполномоченное лицо:{' '}
                    {t.intake.authorization?.verified ? 'найдено в реестре' : 'не подтверждено'}
                  </Text>
                  {t.intake.authorization?.method && (
                    <Text size="sm">Аутентификация (п. 3.3.1 (1)): {t.intake.authorization.method}</Text>
                  )}
                </Card>
              )}
              {t.obsceneWords.length > 0 && (
                <Alert color="orange" mt="sm" title="Ненормативная лексика (п. 3.5)">
                  Найдено: {t.obsceneWords.join(', ')}
                </Alert>
              )}
              {t.attachments.length > 0 && (
                <Stack gap={2} mt="sm">
                  <Text size="sm" fw={600}>
                    Вложения
                  </Text>
                  {t.attachments.map((a) => (
                    <Anchor key={a.id} href={a.url} size="sm">
                      {a.fileName} ({Math.ceil(a.size / 1024)} КБ)
                    </Anchor>
                  ))}
                </Stack>
              )}
            </Card>
            {actions.data?.items.some((a) => a.command === 'comment' && a.allowed) && (
              <Card withBorder>
                <Composer ticketId={t.id} templates={templates.data?.items ?? []} onSent={refresh} />
              </Card>
            )}
            <Card withBorder>
              <Title order={3} size="h5" mb="sm">
                История и переписка
              </Title>
              <Timeline
                events={history.data?.events ?? []}
                mail={t.correspondence}
                zone={zone}
                regulation={regulation}
              />
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            <Card withBorder>
              <Title order={3} size="h5" mb="xs">
                Сроки
              </Title>
              <Table aria-label="Сроки" verticalSpacing={4}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Счётчик</Table.Th>
                    <Table.Th>Срок</Table.Th>
                    <Table.Th>Осталось</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {clocks.map((c) => {
                    const u = urgencyOf(c);
                    return (
                      <Table.Tr key={c.name} data-clock={c.name}>
                        <Table.Td>
                          <Text size="sm">{clockLabel(c.name)}</Text>
                          <Text size="xs" c="gray.8">
                            {c.measure === 'working' ? 'рабочее время' : 'календарное время'}
                            {c.state === 'paused'
                              ? ', на паузе'
                              : c.state === 'stopped'
                                ? ', остановлен'
                                : ''}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{formatLocal(c.dueAt, zone)}</Text>
                          {c.provisional && c.dueAt && (
                            <Text
                              size="xs"
                              c="orange.9"
                              data-provisional
                              title="Производственный календарь этого года не загружен: срок рассчитан по ТК РФ (ст. 112) и будет пересчитан"
                            >
                              предварительный срок
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <Badge
                            color={URGENCY_COLOR[u]}
                            variant="filled"
                            styles={{ label: { textTransform: 'none' } }}
                          >
                            {c.state === 'stopped'
                              ? c.breached
                                ? 'нарушен'
                                : 'выполнен'
                              : formatRemaining(c)}
                          </Badge>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
              <Text size="xs" c="gray.8" mt="xs">
                Поступила {formatLocal(t.receivedAt, zone)}
                {t.registeredAt ? `, зарегистрирована ${formatLocal(t.registeredAt, zone)}` : ''}
              </Text>
            </Card>
            <Card withBorder>
              <Title order={3} size="h5" mb="xs">
                Инициатор
              </Title>
              <Table verticalSpacing={2} aria-label="Данные инициатора">
                <Table.Tbody>
                  {INITIATOR_FIELDS.filter(([k]) => initiator[k]).map(([k, label]) => (
                    <Table.Tr key={k}>
                      <Table.Th w={130}>{label}</Table.Th>
                      {/* A long address wraps inside the card instead of running past it. */}
                      <Table.Td data-field={k} style={{ overflowWrap: 'anywhere' }}>
                        {shownField(k, String(initiator[k]))}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              {t.intake.senderAuth && (
                <SenderBadge
                  auth={
                    t.intake.senderAuth.confirmedByOperator
                      ? { authenticated: true, summary: 'Отправитель подтверждён оператором' }
                      : t.intake.senderAuth
                  }
                />
              )}
            </Card>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
