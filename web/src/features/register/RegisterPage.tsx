/**
 * Registering a request received by phone: the regulation's required fields for the chosen type
 * (seed 000 п. 2.3.1.1; by phone also the incident's expected and actual result, п. 2.3.1.9, and the
 * service request's expected result, п. 2.3.1.12), the domain's checks as you type (СНИЛС/ИНН
 * checksums, e-mail, phone: POST /tickets/check), an access request with how the caller was
 * authenticated (п. 3.3.1 (1)), and the regulation's refusal before submitting (п. 2.3.1.11: change
 * requests by e-mail only). On a failed submit the focus goes to the first field to correct.
 */
import {
  Alert,
  Button,
  Card,
  Grid,
  Group,
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
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api, ApiError, ok } from '../../api/client';
import type { paths } from '../../api/schema';
import { mayRegister, useRegulations } from '../../lib/regulations';
import { useUser } from '../../lib/session';
import {
  AccessFields,
  accessBody,
  CONTENT_LABELS,
  ContentFields,
  NO_ACCESS,
  type AccessValues,
  type ContentValues,
} from './RequestContent';
import { queries } from '../../api/queries';
import { OrganizationNameField } from '../../lib/OrganizationPicker';

type CheckResult = paths['/tickets/check']['post']['responses'][200]['content']['application/json'];

/** Refusals that concern one field of the form: shown on it, like a missing value. */
const FIELD_REFUSALS: Record<string, string> = { authentication_not_recorded: 'authentication.method' };

const FIELDS: { key: string; label: string; type?: string; autoComplete?: string; epguOnly?: boolean }[] = [
  { key: 'fullName', label: 'ФИО инициатора', autoComplete: 'off' },
  { key: 'email', label: 'E-mail для обратной связи', type: 'email' },
  { key: 'phone', label: 'Телефон', type: 'tel' },
  { key: 'organization', label: 'Организация' },
  { key: 'position', label: 'Должность' },
  { key: 'snils', label: 'СНИЛС', epguOnly: true },
  { key: 'inn', label: 'ИНН', epguOnly: true },
  { key: 'birthDate', label: 'Дата рождения', type: 'date', epguOnly: true },
  { key: 'contact', label: 'Удобный способ связи', epguOnly: true },
];

/** A field as the form labels it («ФИО инициатора»), for the summary of what to correct. */
function shortLabel(field: string): string {
  const key = field.replace(/^initiator\./, '');
  return (
    (field.startsWith('initiator.') ? FIELDS.find((f) => f.key === key)?.label : undefined) ??
    CONTENT_LABELS[field] ??
    { subject: 'Тема', description: 'Подробное описание проблемы', requestType: 'Тип заявки' }[field] ??
    field
  );
}

export default function RegisterPage() {
  const user = useUser();
  const navigate = useNavigate();
  const formRef = useRef<HTMLFormElement>(null);
  const regs = useRegulations();
  const [regulationId, setRegulationId] = useState<string | null>(null);
  const mine = useMemo(
    () => (regs.data?.list ?? []).filter((r) => mayRegister(r, user.role)),
    [regs.data, user.role],
  );
  const regulation =
    mine.find((r) => r.id === regulationId) ?? mine.find((r) => r.id === regs.data?.defaultId) ?? mine[0];
  const [requestType, setRequestType] = useState<string | null>(null);
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [content, setContent] = useState<ContentValues>({});
  const [access, setAccess] = useState<AccessValues>(NO_ACCESS);
  const [initiator, setInitiator] = useState<Record<string, string>>({});
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<{
    detail: string;
    errors?: { field: string; message: string }[];
  } | null>(null);
  const [busy, setBusy] = useState(false);

  // п. 3.3.1–3.3.2: access requests are service requests («Запрос на обслуживание»).
  const accessPossible = !!regulation?.accessLine && requestType === 'service';
  const draft = useMemo(
    () => ({
      regulation: regulation?.id,
      ...(requestType && { requestType }),
      channel: 'phone' as const,
      ...(subject.trim() && { subject: subject.trim() }),
      description,
      ...(content.expectedResult && { expectedResult: content.expectedResult }),
      ...(content.actualResult && { actualResult: content.actualResult }),
      initiator: Object.fromEntries(Object.entries(initiator).filter(([, v]) => v.trim())),
      ...(accessPossible && accessBody(access, true)),
    }),
    [regulation?.id, requestType, subject, description, content, initiator, access, accessPossible],
  );
  const [debounced] = useDebouncedValue(draft, 300);
  const check = useQuery({
    ...queries.check(debounced),
    enabled: !!debounced.regulation,
    placeholderData: (prev) => prev,
  });
  // The check of the last submit, while the form is unchanged; else the live (debounced) one.
  const [submitCheck, setSubmitCheck] = useState<{ draft: typeof draft; result: CheckResult } | null>(null);
  const result = submitCheck?.draft === draft ? submitCheck.result : check.data;
  // After a refused submit, once the form shows why: the first field to correct gets the focus.
  const [focusRequest, setFocusRequest] = useState(0);
  useEffect(() => {
    if (focusRequest) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusRequest]);
  // What the regulation requires for this type and channel, as the domain lists it.
  const required = new Set((result?.required ?? []).map((f) => f.field));
  const refusal = result?.refusal ?? null;
  const fieldRefusal = refusal && FIELD_REFUSALS[refusal.code];
  // Concise (issue #19): the field already shows its label and description; an error says what is
  // wrong and the clause, the summary names the fields by their labels.
  const clauseOf = (field: string) => result?.required.find((f) => f.field === field)?.clause;
  const problemOf = (field: string): string | undefined => {
    const invalid = result?.invalid.find((p) => p.field === field);
    if (invalid) return invalid.message;
    if (submitted) {
      if (result?.missing.some((p) => p.field === field)) {
        const clause = clauseOf(field);
        return clause ? `обязательное поле (${clause})` : 'обязательное поле';
      }
      if (fieldRefusal === field) return refusal?.message;
    }
    return error?.errors?.find((e) => e.field.endsWith(field.replace('initiator.', '')))?.message;
  };
  const blockingRefusal = refusal && !fieldRefusal ? refusal : null;

  const typeOptions = Object.entries(regulation?.requestTypes ?? {})
    .filter(([code]) => !(regulation?.id === 'epgu' && code !== 'appeal'))
    .map(([value, t]) => ({ value, label: t.label }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    setError(null);
    setBusy(true);
    try {
      // The debounced check may lag the last keystroke: ask once more with exactly what is on screen.
      const fresh = await ok(api.POST('/tickets/check', { body: draft }));
      if (!fresh.ok) {
        setSubmitCheck({ draft, result: fresh });
        setFocusRequest((n) => n + 1);
        return;
      }
      const created = (await ok(
        api.POST('/tickets', {
          body: {
            ...draft,
            regulation: regulation?.id,
            initiator: draft.initiator,
            register: true,
          },
        }),
      )) as { id: string };
      notify({ color: 'teal', title: 'Заявка зарегистрирована', message: created.id }, { forNextPage: true });
      void navigate(`/tickets/${created.id}`);
    } catch (err) {
      const problem = err instanceof ApiError ? err.problem : {};
      setError({ detail: (err as Error).message, ...(problem.errors && { errors: problem.errors }) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form ref={formRef} onSubmit={(e) => void submit(e)} noValidate aria-labelledby="register-title">
      <Stack maw={960}>
        <Title order={2} id="register-title">
          Новая заявка по телефону
        </Title>
        <Text size="sm" c="gray.8">
          Регистрирует {user.name}. Обязательные поля регламента для выбранного типа отмечены звёздочкой;
          проверки — те же, что при регистрации.
        </Text>
        <Card withBorder>
          <Grid>
            {mine.length > 1 && (
              <Grid.Col span={{ base: 12, sm: 6 }}>
                <Select
                  label="Регламент"
                  data={mine.map((r) => ({ value: r.id, label: r.title.slice(0, 80) }))}
                  value={regulation?.id ?? null}
                  onChange={(v) => {
                    setRegulationId(v);
                    setRequestType(null);
                  }}
                  allowDeselect={false}
                />
              </Grid.Col>
            )}
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <Select
                label="Тип заявки"
                data={typeOptions}
                value={requestType}
                onChange={setRequestType}
                required={regulation?.id === 'primorye'}
                placeholder="выберите тип (п. 2.1)"
                error={problemOf('requestType')}
              />
            </Grid.Col>
          </Grid>
          {blockingRefusal && (
            <Alert
              color="red"
              mt="md"
              role="alert"
              title="Регламент не позволяет зарегистрировать такую заявку"
            >
              {blockingRefusal.message}
            </Alert>
          )}
        </Card>
        <Card withBorder>
          <Title order={3} size="h5" mb="sm">
            Инициатор
          </Title>
          <Grid>
            {FIELDS.filter((f) => !f.epguOnly || regulation?.id === 'epgu').map((f) => (
              <Grid.Col key={f.key} span={{ base: 12, sm: 6 }}>
                {f.key === 'organization' ? (
                  <OrganizationNameField
                    name={f.key}
                    withAsterisk={required.has('initiator.organization')}
                    aria-required={required.has('initiator.organization')}
                    value={{
                      name: initiator.organization ?? '',
                      organizationId: initiator.organizationId ?? null,
                    }}
                    onChange={({ name, organizationId }) =>
                      setInitiator(({ organizationId: _was, ...i }) => ({
                        ...i,
                        organization: name,
                        ...(organizationId && { organizationId }),
                      }))
                    }
                    error={problemOf('initiator.organization')}
                  />
                ) : (
                  <TextInput
                    label={f.label}
                    type={f.type ?? 'text'}
                    name={f.key}
                    autoComplete={f.autoComplete}
                    withAsterisk={required.has(`initiator.${f.key}`)}
                    aria-required={required.has(`initiator.${f.key}`)}
                    value={initiator[f.key] ?? ''}
                    onChange={(e) => {
                      const value = e.currentTarget.value;
                      setInitiator((i) => ({ ...i, [f.key]: value }));
                    }}
                    error={problemOf(`initiator.${f.key}`)}
                  />
                )}
              </Grid.Col>
            ))}
          </Grid>
        </Card>
        <Card withBorder>
          <Stack>
            <TextInput label="Тема" value={subject} onChange={(e) => setSubject(e.currentTarget.value)} />
            <Textarea
              label="Подробное описание проблемы"
              withAsterisk
              aria-required
              autosize
              minRows={4}
              value={description}
              onChange={(e) => setDescription(e.currentTarget.value)}
              error={problemOf('description')}
            />
            <ContentFields
              regulation={regulation}
              type={requestType}
              values={content}
              onChange={(field, value) => setContent((c) => ({ ...c, [field]: value }))}
              required={required}
              errorOf={problemOf}
            />
          </Stack>
        </Card>
        {accessPossible && (
          <Card withBorder>
            <AccessFields
              value={access}
              onChange={setAccess}
              lineLabel={regulation?.lines[regulation.accessLine ?? '']?.label ?? 'вторая линия'}
              byPhone
              methodError={problemOf('authentication.method')}
            />
          </Card>
        )}
        {error && (
          <Alert color="red" role="alert" title="Заявка не зарегистрирована">
            {error.detail}
          </Alert>
        )}
        {submitted && result && !result.ok && !blockingRefusal && (
          <Alert color="red" role="alert" title="Заявка не зарегистрирована: исправьте поля">
            {[
              ...(result.missing.length
                ? [`заполните: ${result.missing.map((p) => shortLabel(p.field)).join(', ')}`]
                : []),
              ...result.invalid.map((p) => `${shortLabel(p.field)}: ${p.message}`),
              ...(refusal ? [refusal.message] : []),
            ].join('; ')}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={busy} disabled={!!blockingRefusal}>
            Зарегистрировать
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
