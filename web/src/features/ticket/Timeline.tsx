/** The ticket's history and correspondence in one timeline: who did what, what was written to whom. */
import { Badge, Card, Group, Stack, Switch, Text, Timeline as MTimeline } from '@mantine/core';
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { Schemas, TicketEvent } from '../../api/client';
import type { Regulation } from '../../lib/regulations';
import { formatLocal } from '../../lib/time';
import { SenderBadge } from '../mail/SenderBadge';
import { queries } from '../../api/queries';
import { useOrganizationName } from '../../lib/OrganizationPicker';

type Mail = Schemas['Correspondence'];

const EVENT_LABELS: Record<string, string> = {
  received: 'Поступила',
  registered: 'Зарегистрирована',
  assigned: 'Назначен исполнитель',
  escalated: 'Эскалация',
  infoRequested: 'Запрошена информация у инициатора',
  messageReceived: 'Сообщение инициатора',
  obsceneLanguageFlagged: 'Отмечена ненормативная лексика',
  resumed: 'Возвращена в работу',
  resolved: 'Решена',
  closed: 'Закрыта',
  rejected: 'Отклонена',
  commented: 'Комментарий',
  deadlineSet: 'Установлен срок',
  reclassified: 'Изменён тип',
  deadlineWarning: 'Предупреждение о сроке',
  deadlineBreached: 'Срок нарушен',
  initiatorReminded: 'Напоминание инициатору',
  archived: 'В архиве',
  commandRefused: 'Команда отклонена',
  faqAnswered: 'Ответ из FAQ',
  forwarded: 'Передано в СП ЕПГУ',
  returned: 'Возвращено в СП РПГУ',
  agencyAsked: 'Запрос в ведомство',
  agencyAnswered: 'Ответ ведомства',
  inquiryReceived: 'Запрос о статусе',
  inquiryAnswered: 'Ответ на запрос о статусе',
  solutionConfirmed: 'Решение подтверждено',
  solutionDisputed: 'Несогласие с решением',
  claimRegistered: 'Зарегистрирована претензия',
  claimResolved: 'Решение по претензии',
  staffReminded: 'Напоминание сотрудникам',
  approvalRequested: 'Направлена на согласование в министерство',
  organizationChanged: 'Организация заявки изменена',
  calendarChanged: 'Производственный календарь',
};

/** Seed 003 п. 3.2.1, 3.3.1: the FAQ search recorded with the forwarding. */
const FAQ_CHECK: Record<string, string> = {
  no_answer: 'В FAQ ответа нет',
  not_helpful: 'Статья FAQ не помогла',
};

function who(e: TicketEvent): string {
  if (e.by.kind === 'system') return 'система';
  if (e.by.kind === 'initiator') return e.by.name ?? e.by.email ?? 'инициатор';
  return e.by.name ?? e.by.id ?? 'оператор';
}

function eventText(e: TicketEvent, mail: Mail | undefined): string | null {
  // The initiator's words are the correspondence's incoming item, shown with it: not twice.
  if (e.type === 'messageReceived' && mail) return null;
  // Issue #18: who the ticket belonged to, who it belongs to now, and why (OrganizationChange).
  if (e.type === 'organizationChanged') return null;
  return e.text ?? e.question ?? e.answer ?? e.note ?? (e.type === 'escalated' ? e.reason : null) ?? null;
}

/** What the event's codes mean, in the regulation's words: a reason, a line, the FAQ check. */
function eventDetails(e: TicketEvent, regulation: Regulation | undefined): string[] {
  const reason =
    e.reason && e.type !== 'escalated'
      ? (regulation?.rejectionReasons?.[e.reason] ?? regulation?.closeReasons?.[e.reason])
      : undefined;
  return [
    ...(reason ? [`Причина: ${reason.label} (${reason.clause})`] : []),
    ...(e.faqCheck ? [FAQ_CHECK[e.faqCheck] ?? e.faqCheck] : []),
  ];
}

/** Issue #18: the organisations by their names (issue #19: names, not codes, where people read). */
function OrganizationChange({ event }: { event: TicketEvent }) {
  const from = useOrganizationName(event.from);
  const to = useOrganizationName(event.organization ? null : event.to);
  return (
    <Text size="sm" className="pre" mt={4}>
      {from ?? 'без организации'} → {event.organization ?? to}. Причина: {event.reason ?? ''}
    </Text>
  );
}

/** An FAQ article by its question, as operators know it (the ID while it loads or if deleted). */
function FaqArticle({ id }: { id: string }) {
  const article = useQuery(queries.faq.article(id));
  return (
    <Text size="sm" mt={2} data-faq-article={id}>
      Статья FAQ: «{article.data?.question ?? id}»
    </Text>
  );
}

/**
 * Only what came by e-mail is a letter: a request taken by phone (or a reply the operator recorded
 * from a call) is the initiator's words without a Message-ID, and must not pose as mail.
 */
function mailTitle(m: Mail): string {
  if (m.direction === 'out') return `Письмо → ${m.to.join(', ')}`;
  return m.messageId
    ? `Письмо от ${m.from ?? 'инициатора'}`
    : `Обращение инициатора${m.from ? ` (${m.from})` : ''}`;
}

type Item =
  { at: string; kind: 'event'; event: TicketEvent; mail?: Mail } | { at: string; kind: 'mail'; mail: Mail };

/**
 * One entry per message (issue #19: an empty «Сообщение инициатора» and a «Письмо от …» card for the
 * same reply): the initiator's replies are the last incoming letters, one per `messageReceived`, in
 * order — each event carries its letter, which is then not shown again.
 */
export function timelineItems(events: TicketEvent[], mail: Mail[], newestFirst = false): Item[] {
  const replies = events.filter((e) => e.type === 'messageReceived');
  const incoming = mail
    .filter((m) => m.direction === 'in')
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const pairs = Math.min(replies.length, incoming.length);
  const paired = new Map<number, Mail>();
  for (let i = 0; i < pairs; i++)
    paired.set(replies[replies.length - pairs + i]!.seq, incoming[incoming.length - pairs + i]!);
  const shown = new Set([...paired.values()].map((m) => m.id));
  const items: Item[] = [
    ...events.map((event) => ({ at: event.at, kind: 'event' as const, event, mail: paired.get(event.seq) })),
    ...mail.filter((m) => !shown.has(m.id)).map((m) => ({ at: m.createdAt, kind: 'mail' as const, mail: m })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return newestFirst ? items.reverse() : items;
}

function MailCard({ mail, zone }: { mail: Mail; zone: string }) {
  return (
    <Card withBorder p="xs" mt={4}>
      <Stack gap={2}>
        <Text size="xs" c="gray.8">
          {formatLocal(mail.createdAt, zone)}
          {mail.direction === 'out'
            ? ` · ${mail.status === 'stored' ? 'сохранено (без SMTP)' : mail.status}`
            : ''}
        </Text>
        {mail.subject && (
          <Text size="sm" fw={600}>
            {mail.subject}
          </Text>
        )}
        {mail.direction === 'in' && <SenderBadge auth={mail.senderAuth} />}
        <Text size="sm" className="pre" lineClamp={12}>
          {mail.body}
        </Text>
      </Stack>
    </Card>
  );
}

export function Timeline({
  events,
  mail,
  zone,
  regulation,
}: {
  events: TicketEvent[];
  mail: Mail[];
  zone: string;
  regulation?: Regulation;
}) {
  const lineName = (l: string) => regulation?.lines[l]?.label ?? l;
  // The latest reply first, on request: full automatic letters pushed it screens down.
  const [newestFirst, setNewestFirst] = useState(false);
  const items = timelineItems(events, mail, newestFirst);
  return (
    <Stack gap="xs">
      <Switch
        label="Сначала новые"
        checked={newestFirst}
        onChange={(e) => setNewestFirst(e.currentTarget.checked)}
      />
      <MTimeline bulletSize={14} lineWidth={2} aria-label="История заявки">
        {items.map((item) =>
          item.kind === 'event' ? (
            <MTimeline.Item
              key={`e${item.event.seq}`}
              title={
                <Group gap="xs">
                  <Text fw={600} size="sm">
                    {EVENT_LABELS[item.event.type] ?? item.event.type}
                    {item.event.assignee ? ` · ${item.event.assignee.name}` : ''}
                  </Text>
                  {item.event.type === 'commented' && (
                    <Badge
                      size="xs"
                      color={item.event.visibility === 'public' ? 'blue.8' : 'gray.7'}
                      variant="outline"
                    >
                      {item.event.visibility === 'public' ? 'инициатору' : 'внутренний'}
                    </Badge>
                  )}
                </Group>
              }
              color={
                item.event.type === 'deadlineBreached'
                  ? 'red'
                  : item.event.by.kind === 'initiator'
                    ? 'violet'
                    : 'blue'
              }
            >
              <Text size="xs" c="gray.8">
                {formatLocal(item.event.at, zone)}
                {/* The assignee is in the title; who assigned, only when someone else did. */}
                {item.event.assignee?.name === who(item.event) ? '' : ` · ${who(item.event)}`}
                {item.event.toLine ? ` · на линию «${lineName(item.event.toLine)}»` : ''}
              </Text>
              {eventDetails(item.event, regulation).map((d) => (
                <Text key={d} size="sm" mt={2}>
                  {d}
                </Text>
              ))}
              {(item.event.faqArticleId ?? item.event.articleId) && (
                <FaqArticle id={(item.event.faqArticleId ?? item.event.articleId)!} />
              )}
              {!item.mail && item.event.subject && (
                <Text size="sm" fw={600} mt={4}>
                  {item.event.subject}
                </Text>
              )}
              {item.event.type === 'organizationChanged' && <OrganizationChange event={item.event} />}
              {eventText(item.event, item.mail) && (
                <Text size="sm" className="pre" mt={4}>
                  {eventText(item.event, item.mail)}
                </Text>
              )}
              {item.mail && (
                <MailCard
                  // Letters stored before the reply carried its subject (issue #19) take the event's.
                  mail={{ ...item.mail, subject: item.mail.subject ?? item.event.subject ?? null }}
                  zone={zone}
                />
              )}
            </MTimeline.Item>
          ) : (
            <MTimeline.Item
              key={`m${item.mail.id}`}
              color={item.mail.direction === 'in' ? 'violet' : 'gray'}
              title={
                <Text fw={600} size="sm">
                  {mailTitle(item.mail)}
                </Text>
              }
            >
              <MailCard mail={item.mail} zone={zone} />
            </MTimeline.Item>
          ),
        )}
      </MTimeline>
    </Stack>
  );
}
