/**
 * The actions the regulation allows this person now (GET /tickets/{id}/actions), each with its form.
 * A command the workflow refuses shows the refusal's Russian reason (409 detail) in the form. The
 * forms offer what the rules admit: the next line only (seed 000 п. 1), the rejection reasons of the
 * ticket's type and status (п. 3.5), the closing bases of the status (seed 003), the FAQ check before
 * forwarding (seed 003 п. 3.2.1, 3.3.1).
 */
import {
  Alert,
  Button,
  Group,
  Menu,
  Modal,
  NumberInput,
  Radio,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notify } from '../../lib/notify';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { runCommand, type ReplyTemplate, type TicketAction, type TicketDetail } from '../../api/client';
import type { Regulation } from '../../lib/regulations';
import { useUser } from '../../lib/session';
import { localInputToIso, zoneLabel } from '../../lib/time';
import {
  AccessFields,
  ContentFields,
  contentFields,
  NO_ACCESS,
  type AccessValues,
} from '../register/RequestContent';
import { queries } from '../../api/queries';
import { OrganizationPicker } from '../../lib/OrganizationPicker';

type Values = Record<string, string>;

/** At most this many buttons in a row: the regulation's next steps (GET …/actions, `next`). */
const MAX_PRIMARY = 3;

/** Labels for the buttons, as operators say them. */
const BUTTON: Record<string, string> = {
  register: 'Зарегистрировать',
  assign: 'Назначить',
  escalate: 'Эскалировать',
  requestInfo: 'Запросить информацию',
  reply: 'Ответ инициатора (по телефону)',
  resume: 'Вернуть в работу',
  resolve: 'Решить',
  closeUnreproducible: 'Не воспроизводится',
  reject: 'Отклонить',
  close: 'Закрыть',
  comment: 'Комментарий',
  setDeadline: 'Установить срок',
  reclassify: 'Изменить тип',
  answerFromFaq: 'Ответ из FAQ',
  forward: 'Передать в СП ЕПГУ',
  requestApproval: 'На согласование в министерство',
  return: 'Вернуть в СП РПГУ',
  registerClaim: 'Зарегистрировать претензию',
  resolveClaim: 'Решение по претензии',
  askAgency: 'Запрос в ведомство',
  agencyAnswered: 'Ответ ведомства',
  statusInquiry: 'Запрос о статусе',
  answerInquiry: 'Ответить на запрос о статусе',
  confirm: 'Решение подтверждено',
  disagree: 'Несогласие с решением',
  changeOrganization: 'Изменить организацию',
};

function typeOptions(regulation: Regulation, ticket: TicketDetail, forRegister: boolean) {
  return Object.entries(regulation.requestTypes)
    .filter(([code]) => !(regulation.id === 'epgu' && code === 'appeal'))
    .filter(
      ([code]) =>
        !forRegister ||
        !regulation.channelsByType ||
        (regulation.channelsByType[code] ?? []).includes(ticket.channel),
    )
    .map(([value, t]) => ({ value, label: `${t.label} (${t.clause})` }));
}

/** The button of a command on this ticket: after the ministry's approval, «resume» is its answer (п. 3.5). */
function buttonOf(command: string, ticket: TicketDetail, fallback: string): string {
  if (command === 'resume' && ticket.status === 'awaiting_approval') return 'Согласовано — вернуть в работу';
  return BUTTON[command] ?? fallback;
}

/** Seed 003 п. 3.2.1, 3.3.1: what the FAQ search gave before forwarding. */
const FAQ_CHECKS = [
  { value: 'no_answer', label: 'В FAQ ответа нет' },
  { value: 'not_helpful', label: 'Статья FAQ не помогла' },
];

/**
 * The assignee, chosen from the desk's people (GET /people) who work the line: typed names made one
 * person two on the dashboard. Without a line rule (seed 003), everyone the API lists.
 */
function PersonPicker({
  regulation,
  line,
  value,
  onChange,
}: {
  regulation: Regulation;
  line: string;
  value: string;
  onChange: (person: { login: string; name: string } | null) => void;
}) {
  const people = useQuery(queries.people());
  const roles = regulation.lineRoles?.[line];
  const items = (people.data?.items ?? []).filter((p) => !roles || roles.includes(p.role));
  return (
    <Select
      label="Исполнитель"
      required
      searchable
      allowDeselect={false}
      data={items.map((p) => ({ value: p.login, label: `${p.name} (${p.login})` }))}
      value={items.some((p) => p.login === value) ? value : null}
      onChange={(login) => onChange(items.find((p) => p.login === login) ?? null)}
      nothingFoundMessage={people.isLoading ? 'Загрузка…' : 'Нет сотрудников этой линии'}
    />
  );
}

function FaqPicker({
  value,
  onChange,
  label = 'Статья',
}: {
  value: string;
  onChange: (id: string, answer: string) => void;
  label?: string;
}) {
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 250);
  const found = useQuery(queries.faq.search(debounced, 10));
  const items = found.data?.items ?? [];
  return (
    <Stack gap="xs">
      <TextInput label="Поиск в FAQ" value={q} onChange={(e) => setQ(e.currentTarget.value)} type="search" />
      <Select
        label={label}
        required
        data={items.map((a) => ({ value: a.id, label: a.question }))}
        value={value || null}
        onChange={(id) => {
          const a = items.find((i) => i.id === id);
          if (a) onChange(a.id, a.answer);
        }}
        nothingFoundMessage="Ничего не найдено"
      />
    </Stack>
  );
}

function ActionForm({
  action,
  ticket,
  regulation,
  templates,
  onDone,
}: {
  action: TicketAction;
  ticket: TicketDetail;
  regulation: Regulation;
  templates: ReplyTemplate[];
  onDone: () => void;
}) {
  const user = useUser();
  const zone = regulation.workingHours.timeZone;
  const [v, setV] = useState<Values>({
    assigneeName: user.name,
    assigneeId: user.login,
    visibility: 'internal',
    deadlineMode: 'hours',
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // A refusal answers what was submitted: once the form changes, it no longer applies.
  const change = (patch: Values) => {
    setError(null);
    setV((x) => ({ ...x, ...patch }));
  };
  const set = (k: string) => (value: string | null) => change({ [k]: value ?? '' });
  const own = templates.filter((t) => t.command === action.command);
  const lineOrder = regulation.lineOrder ?? Object.keys(regulation.lines);
  // п. 1: a request moves one line up at a time, never down.
  const nextLine = lineOrder[lineOrder.indexOf(ticket.line) + 1];
  const lineName = (l: string) => regulation.lines[l]?.label ?? l;
  const byPhone = ticket.channel === 'phone';
  const registerType = v.requestType || ticket.type;
  // п. 3.3.1 (1): an access request taken by phone records how the caller was authenticated.
  const accessByPhone = byPhone && !!ticket.intake.access && registerType === 'service';
  const [access, setAccess] = useState<AccessValues>({ ...NO_ACCESS, enabled: true });
  // The API assigns only people who work the line (issue #18): «на меня» where this person does.
  const lineRoles = regulation.lineRoles?.[ticket.line];
  const worksLine = !lineRoles?.length || lineRoles.includes(user.role);
  const closeReasons = Object.entries(regulation.closeReasons ?? {}).filter(([, r]) =>
    r.byOperatorIn?.includes(ticket.status),
  );

  const body = (): Record<string, unknown> => {
    const c = action.command;
    const text = v.text?.trim();
    switch (c) {
      case 'register': {
        // п. 2.3.1.9, 2.3.1.12: by phone, what the request of its type says.
        const content = byPhone
          ? Object.fromEntries(
              contentFields(regulation, registerType)
                .map((f) => [f.field!, v[f.field!]?.trim()])
                .filter(([, value]) => value),
            )
          : {};
        return {
          ...(v.requestType && { requestType: v.requestType }),
          ...(v.assignToMe === 'yes' && { assignee: { id: user.login, name: user.name } }),
          ...(Object.keys(content).length > 0 && { fields: content }),
          ...(accessByPhone && access.method.trim() && { authentication: { method: access.method.trim() } }),
        };
      }
      case 'assign':
        return {
          assignee: { id: v.assigneeId ?? '', name: v.assigneeName ?? '' },
          ...(v.line && { line: v.line }),
        };
      case 'escalate':
        return { reason: text, ...(v.toLine && { toLine: v.toLine }) };
      case 'requestInfo':
        return { question: text };
      case 'resume':
        return text ? { note: text } : {};
      case 'reject':
        return { reason: v.reason, ...(text && { text }) };
      case 'close': {
        const reason = v.reason || (closeReasons.length === 1 ? closeReasons[0]![0] : '');
        return { text, ...(reason && { reason }) };
      }
      case 'setDeadline': {
        if (v.deadlineMode === 'hours') return { workingHours: Number(v.hours) };
        const dueAt = localInputToIso(v.dueAt ?? '', zone);
        return { dueAt: dueAt ?? v.dueAt };
      }
      case 'reclassify':
        return { requestType: v.requestType, ...(text && { reason: text }) };
      case 'answerFromFaq':
        return { articleId: v.articleId, ...(text && { answer: text }) };
      case 'forward':
        return {
          ...(text && { note: text }),
          ...(v.faqCheck && { faqCheck: v.faqCheck }),
          ...(v.faqCheck === 'not_helpful' && v.faqArticleId && { faqArticleId: v.faqArticleId }),
          ...((v.snils || v.inn || v.birthDate || v.contact) && {
            fields: {
              initiator: {
                ...(v.snils && { snils: v.snils }),
                ...(v.inn && { inn: v.inn }),
                ...(v.birthDate && { birthDate: v.birthDate }),
                ...(v.contact && { contact: v.contact }),
              },
            },
          }),
        };
      case 'return':
        return { reason: text };
      case 'resolveClaim':
        return { claimId: v.claimId, text };
      case 'askAgency':
        return { agency: v.agency, ...(text && { question: text }) };
      case 'statusInquiry':
        return { channel: v.channel || ticket.channel, ...(text && { text }) };
      case 'confirm':
        return text ? { text } : {};
      case 'requestApproval':
        return text ? { note: text } : {};
      case 'changeOrganization':
        return { organizationId: v.organizationId?.trim() ?? '', reason: text };
      default:
        return { text };
    }
  };

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await runCommand(ticket.id, action.path, body());
      notify({ color: 'teal', message: `${ticket.id}: ${buttonOf(c, ticket, action.label)} — выполнено` });
      onDone();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const c = action.command;
  const textLabel: Record<string, string> = {
    requestInfo: 'Вопрос инициатору',
    resolve: 'Результат для инициатора',
    closeUnreproducible: 'Сообщение инициатору',
    reject: 'Пояснение (необязательно)',
    close: 'Сообщение',
    escalate: 'Причина эскалации',
    return: 'Причина возврата',
    reply: 'Что сообщил инициатор',
    resume: 'Заметка (необязательно)',
    reclassify: 'Причина (необязательно)',
    answerFromFaq: 'Ответ пользователю',
    forward: 'Примечание для СП ЕПГУ (необязательно)',
    askAgency: 'Вопрос ведомству (необязательно)',
    statusInquiry: 'Текст запроса (необязательно)',
    confirm: 'Комментарий (необязательно)',
    requestApproval: 'Что направлено на согласование (необязательно)',
    changeOrganization: 'Причина изменения организации',
  };
  const optionalText = [
    'reject',
    'resume',
    'reclassify',
    'forward',
    'askAgency',
    'statusInquiry',
    'confirm',
    'requestApproval',
  ].includes(c);
  const needsText = !['register', 'assign', 'setDeadline'].includes(c);

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <Stack>
        {action.refusal && action.allowed && (
          <Text size="sm" c="gray.8">
            {action.refusal.message}
          </Text>
        )}
        {c === 'register' && (
          <>
            <Select
              label="Тип заявки"
              required
              data={typeOptions(regulation, ticket, true)}
              value={v.requestType || null}
              onChange={set('requestType')}
            />
            {worksLine && (
              <SegmentedControl
                aria-label="Исполнитель"
                data={[
                  { value: 'no', label: 'Без исполнителя' },
                  { value: 'yes', label: 'Назначить на меня' },
                ]}
                value={v.assignToMe || 'no'}
                onChange={set('assignToMe')}
              />
            )}
            {byPhone && (
              <ContentFields
                regulation={regulation}
                type={registerType}
                values={{ expectedResult: v.expectedResult, actualResult: v.actualResult }}
                onChange={(field, value) => set(field)(value)}
                required={
                  new Set(
                    contentFields(regulation, registerType)
                      .filter((f) => f.required)
                      .map((f) => f.field!),
                  )
                }
              />
            )}
            {accessByPhone && (
              <AccessFields
                value={access}
                onChange={(next) => setAccess({ ...next, enabled: true })}
                lineLabel={lineName(regulation.accessLine ?? '')}
                byPhone
              />
            )}
          </>
        )}
        {c === 'changeOrganization' && (
          <OrganizationPicker
            label="Новая организация"
            required
            value={v.organizationId || null}
            onChange={set('organizationId')}
          />
        )}
        {c === 'reclassify' && (
          <Select
            label="Новый тип"
            required
            data={typeOptions(regulation, ticket, false).filter((o) => o.value !== ticket.type)}
            value={v.requestType || null}
            onChange={set('requestType')}
          />
        )}
        {c === 'assign' && (
          <>
            <PersonPicker
              regulation={regulation}
              line={v.line || ticket.line}
              value={v.assigneeId ?? ''}
              onChange={(p) => change({ assigneeId: p?.login ?? '', assigneeName: p?.name ?? '' })}
            />
            {nextLine && (
              <Select
                label="Линия"
                description="Заявка остаётся на своей линии или передаётся на следующую (п. 1)"
                data={[ticket.line, nextLine].map((l) => ({ value: l, label: lineName(l) }))}
                value={v.line || ticket.line}
                onChange={set('line')}
                allowDeselect={false}
              />
            )}
          </>
        )}
        {c === 'escalate' && nextLine && (
          <Text size="sm">
            Заявка перейдёт с линии «{lineName(ticket.line)}» на линию «{lineName(nextLine)}»: эскалация —
            только на следующую линию (п. 1).
          </Text>
        )}
        {c === 'reject' && regulation.rejectionReasons && (
          <Select
            label="Причина (п. 3.5)"
            required
            data={Object.entries(regulation.rejectionReasons)
              .filter(
                ([, r]) =>
                  !r.automaticOnly &&
                  (!r.types || r.types.includes(ticket.type)) &&
                  (!r.statuses || r.statuses.includes(ticket.status)),
              )
              .map(([value, r]) => ({ value, label: r.label }))}
            value={v.reason || null}
            onChange={(reason) => {
              set('reason')(reason);
              const t = own.find((x) => x.reason === reason);
              if (t) set('text')(t.text);
            }}
          />
        )}
        {c === 'close' && closeReasons.length > 0 && (
          <Select
            label="Основание закрытия по регламенту"
            required
            data={closeReasons.map(([value, r]) => ({ value, label: `${r.label} (${r.clause})` }))}
            value={v.reason || (closeReasons.length === 1 ? closeReasons[0]![0] : null)}
            onChange={set('reason')}
            allowDeselect={false}
          />
        )}
        {c === 'setDeadline' && (
          <>
            <SegmentedControl
              aria-label="Как задать срок"
              data={[
                { value: 'hours', label: 'Рабочие часы' },
                { value: 'date', label: 'Дата и время' },
              ]}
              value={v.deadlineMode}
              onChange={set('deadlineMode')}
            />
            {v.deadlineMode === 'hours' ? (
              <NumberInput
                label="Срок в рабочих часах от регистрации (п. 3.1.3)"
                required
                min={1}
                value={v.hours ?? ''}
                onChange={(n) => set('hours')(String(n))}
              />
            ) : (
              <TextInput
                type="datetime-local"
                label={`Срок (${zoneLabel(zone)})`}
                required
                value={v.dueAt ?? ''}
                onChange={(e) => set('dueAt')(e.currentTarget.value)}
              />
            )}
          </>
        )}
        {c === 'answerFromFaq' && (
          <FaqPicker
            value={v.articleId ?? ''}
            onChange={(id, answer) => change({ articleId: id, text: answer })}
          />
        )}
        {c === 'forward' && (
          <Radio.Group
            label="Результат поиска в FAQ (п. 3.2.1, 3.3.1)"
            description="Обращение передаётся в СП ЕПГУ, если ответа в FAQ нет"
            required
            value={v.faqCheck ?? ''}
            onChange={set('faqCheck')}
          >
            <Group mt="xs">
              {FAQ_CHECKS.map((o) => (
                <Radio key={o.value} value={o.value} label={o.label} />
              ))}
            </Group>
          </Radio.Group>
        )}
        {c === 'forward' && v.faqCheck === 'not_helpful' && (
          <FaqPicker
            label="Статья FAQ, которая не помогла"
            value={v.faqArticleId ?? ''}
            onChange={(id) => set('faqArticleId')(id)}
          />
        )}
        {c === 'forward' && (
          <Text size="sm" fw={600} mb={-8}>
            Данные пользователя для СП ЕПГУ (п. 3.3.2.1)
            {ticket.channel === 'email' ? ': для письменного обращения обязательны' : ''}
          </Text>
        )}
        {c === 'forward' && (
          <Group grow>
            <TextInput
              label="СНИЛС"
              value={v.snils ?? ''}
              onChange={(e) => set('snils')(e.currentTarget.value)}
            />
            <TextInput label="ИНН" value={v.inn ?? ''} onChange={(e) => set('inn')(e.currentTarget.value)} />
            <TextInput
              label="Дата рождения"
              type="date"
              value={v.birthDate ?? ''}
              onChange={(e) => set('birthDate')(e.currentTarget.value)}
            />
            <TextInput
              label="Способ связи"
              value={v.contact ?? ''}
              onChange={(e) => set('contact')(e.currentTarget.value)}
            />
          </Group>
        )}
        {c === 'resolveClaim' && (
          <Select
            label="Претензия"
            required
            data={ticket.claims
              .filter((cl) => !cl.resolvedAt)
              .map((cl) => ({ value: cl.id, label: `${cl.id}: ${cl.text.slice(0, 60)}` }))}
            value={v.claimId || null}
            onChange={set('claimId')}
          />
        )}
        {c === 'askAgency' && (
          <TextInput
            label="Ведомство (ФОИВ)"
            required
            value={v.agency ?? ''}
            onChange={(e) => set('agency')(e.currentTarget.value)}
          />
        )}
        {c === 'statusInquiry' && (
          <Select
            label="Как поступил запрос"
            data={[
              { value: 'phone', label: 'по телефону' },
              { value: 'email', label: 'по электронной почте' },
            ]}
            value={v.channel || ticket.channel}
            onChange={set('channel')}
            allowDeselect={false}
          />
        )}
        {needsText && own.length > 0 && c !== 'reject' && (
          <Select
            label="Шаблон регламента"
            placeholder="выберите, чтобы подставить текст"
            data={own.map((t) => ({ value: t.id, label: `${t.title} (${t.clause})` }))}
            onChange={(id) => {
              const t = own.find((x) => x.id === id);
              if (t) set('text')(t.text);
            }}
            clearable
          />
        )}
        {needsText && (
          <Textarea
            label={textLabel[c] ?? 'Текст'}
            required={!optionalText}
            autosize
            minRows={4}
            value={v.text ?? ''}
            onChange={(e) => set('text')(e.currentTarget.value)}
          />
        )}
        {error && (
          <Alert color="red" role="alert" title="Регламент не допускает действие">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Отмена
          </Button>
          <Button type="submit" loading={busy} disabled={c === 'assign' && !v.assigneeId}>
            {buttonOf(c, ticket, action.label)}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function ActionPanel({
  ticket,
  actions,
  regulation,
  templates,
  onChanged,
}: {
  ticket: TicketDetail;
  actions: TicketAction[];
  regulation: Regulation;
  templates: ReplyTemplate[];
  onChanged: () => void;
}) {
  const [open, setOpen] = useState<TicketAction | null>(null);
  // Comments have the composer; the API lists the regulation's next steps first.
  const allowed = actions.filter((a) => a.allowed && a.command !== 'comment');
  const primary = allowed.filter((a) => a.next).slice(0, MAX_PRIMARY);
  const rest = allowed.filter((a) => !primary.includes(a));
  // A menu of one is a detour: a single other action is a button of its own.
  const single = rest.length === 1 ? rest : [];
  const more = rest.length > 1 ? rest : [];
  const refused = actions.filter((a) => !a.allowed);
  return (
    <Stack gap="xs">
      <Title order={3} size="h5">
        Действия по регламенту
      </Title>
      {allowed.length === 0 && <Text size="sm">Сейчас регламент не допускает действий для вашей роли.</Text>}
      <Group gap="xs">
        {primary.map((a) => (
          <Button key={a.command} size="sm" onClick={() => setOpen(a)} data-command={a.command}>
            {buttonOf(a.command, ticket, a.label)}
          </Button>
        ))}
        {single.map((a) => (
          <Button
            key={a.command}
            size="sm"
            variant="default"
            onClick={() => setOpen(a)}
            data-command={a.command}
          >
            {buttonOf(a.command, ticket, a.label)}
          </Button>
        ))}
        {more.length > 0 && (
          <Menu position="bottom-start" shadow="md" withinPortal withInitialFocusPlaceholder={false}>
            <Menu.Target>
              <Button size="sm" variant="default" data-actions-menu>
                {primary.length > 0 ? 'Ещё действия' : 'Действия'} ({more.length})
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {more.map((a) => (
                <Menu.Item key={a.command} onClick={() => setOpen(a)} data-command={a.command}>
                  {buttonOf(a.command, ticket, a.label)}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
        )}
      </Group>
      {refused.length > 0 && (
        <details>
          <summary>
            <Text span size="sm" c="gray.8">
              Недоступно сейчас ({refused.length}) — почему
            </Text>
          </summary>
          <Stack gap={4} mt={4}>
            {refused.map((a) => (
              <Text key={a.command} size="xs">
                <b>{BUTTON[a.command] ?? a.label}:</b> {a.refusal?.message}
              </Text>
            ))}
          </Stack>
        </details>
      )}
      <Modal
        closeButtonProps={{ 'aria-label': 'Закрыть' }}
        opened={open !== null}
        onClose={() => setOpen(null)}
        title={open ? `${ticket.id}: ${buttonOf(open.command, ticket, open.label)}` : ''}
        size="lg"
      >
        {open && (
          <ActionForm
            action={open}
            ticket={ticket}
            regulation={regulation}
            templates={templates}
            onDone={() => {
              setOpen(null);
              onChanged();
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}
