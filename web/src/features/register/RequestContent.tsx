/**
 * What a request of its type must say (seed 000 п. 2.3.1.9, 2.3.1.10, 2.3.1.12) and, for an access
 * request taken by phone, how the caller was authenticated (п. 3.3.1 (1)). Shared by the phone
 * registration page and the «Зарегистрировать» dialog of a ticket.
 */
import { Autocomplete, Checkbox, List, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import type { Regulation } from '../../lib/regulations';

/** Short, accessible names of the content fields; the regulation's wording goes in the description. */
export const CONTENT_LABELS: Record<string, string> = {
  actualResult: 'Фактический результат',
  expectedResult: 'Ожидаемый результат',
};

/** The text's fields first: an incident says what happened before what was expected (п. 2.3.1.9). */
const CONTENT_ORDER = ['actualResult', 'expectedResult'];

/** «фактический результат: что произошло…» → «Что произошло…»: the label already names the field. */
function explanation(label: string): string {
  const text = label.includes(': ') ? label.slice(label.indexOf(': ') + 2) : label;
  return `${text[0]!.toUpperCase()}${text.slice(1)}`;
}

export interface ContentValues {
  readonly expectedResult?: string;
  readonly actualResult?: string;
}

/** The content items of the type that are fields of the form, in the text's order. */
export function contentFields(regulation: Regulation | undefined, type: string | null) {
  return (regulation?.contentByType?.[type ?? ''] ?? [])
    .filter((item) => item.field && item.field in CONTENT_LABELS)
    .sort((a, b) => CONTENT_ORDER.indexOf(a.field!) - CONTENT_ORDER.indexOf(b.field!));
}

export function ContentFields({
  regulation,
  type,
  values,
  onChange,
  required,
  errorOf,
}: {
  regulation: Regulation | undefined;
  type: string | null;
  values: ContentValues;
  onChange: (field: keyof ContentValues, value: string) => void;
  /** Fields the regulation requires now (from the domain: POST /tickets/check). */
  required: ReadonlySet<string>;
  errorOf?: (field: string) => string | undefined;
}) {
  const fields = contentFields(regulation, type);
  const hints = (regulation?.contentByType?.[type ?? ''] ?? []).filter((item) => !item.field);
  if (!fields.length && !hints.length) return null;
  return (
    <Stack gap="sm">
      {fields.map((item) => {
        const field = item.field as keyof ContentValues;
        return (
          <Textarea
            key={field}
            label={CONTENT_LABELS[field]}
            description={`${explanation(item.label)} (${item.clause})`}
            withAsterisk={required.has(field)}
            aria-required={required.has(field)}
            autosize
            minRows={2}
            name={field}
            value={values[field] ?? ''}
            onChange={(e) => onChange(field, e.currentTarget.value)}
            error={errorOf?.(field)}
          />
        );
      })}
      {hints.length > 0 && (
        <div>
          <Text size="sm" fw={600} id="content-hints">
            Уточните у инициатора, если применимо
          </Text>
          <List size="sm" aria-labelledby="content-hints">
            {hints.map((h) => (
              <List.Item key={h.label}>
                {h.label} ({h.clause}){h.required ? ' — обязательно' : ''}
              </List.Item>
            ))}
          </List>
        </div>
      )}
    </Stack>
  );
}

/** Ways a first-line operator checks that a caller is an authorised person (the text names none). */
export const AUTHENTICATION_METHODS = [
  'Обратный звонок на номер уполномоченного лица из реестра',
  'Звонок с номера уполномоченного лица из реестра, сверены ФИО и должность',
  'Подтверждение письмом с адреса уполномоченного лица из реестра',
];

export const ACCESS_KINDS = [
  { value: 'grant', label: 'Получение доступа' },
  { value: 'change', label: 'Изменение доступа' },
  { value: 'deactivation', label: 'Деактивация доступа' },
];

export interface AccessValues {
  readonly enabled: boolean;
  readonly kind: string;
  readonly targetUser: string;
  readonly method: string;
}

export const NO_ACCESS: AccessValues = { enabled: false, kind: 'grant', targetUser: '', method: '' };

/** The body parts of an access request: `access` and `authentication` (POST /tickets, /register). */
export function accessBody(access: AccessValues, byPhone: boolean) {
  if (!access.enabled) return {};
  return {
    access: {
      kind: access.kind as 'grant' | 'change' | 'deactivation',
      ...(access.targetUser.trim() && { targetUser: access.targetUser.trim() }),
    },
    ...(byPhone && access.method.trim() && { authentication: { method: access.method.trim() } }),
  };
}

export function AccessFields({
  value,
  onChange,
  lineLabel,
  byPhone,
  methodError,
}: {
  value: AccessValues;
  onChange: (next: AccessValues) => void;
  /** The line that executes access requests (п. 3.3.1 (3)). */
  lineLabel: string;
  byPhone: boolean;
  methodError?: string;
}) {
  return (
    <Stack gap="sm">
      <Checkbox
        label="Запрос на получение, изменение или деактивацию доступа к Модулю (п. 3.3.1–3.3.2)"
        checked={value.enabled}
        onChange={(e) => onChange({ ...value, enabled: e.currentTarget.checked })}
      />
      {value.enabled && (
        <>
          <Text size="sm" c="gray.8">
            Принимается только от уполномоченного лица организации (п. 3.3.1, 3.3.2): адрес инициатора
            сверяется с реестром уполномоченных лиц. Исполняет {lineLabel.toLowerCase()} (п. 3.3.1 (3)).
          </Text>
          <Select
            label="Что запрошено"
            data={ACCESS_KINDS}
            value={value.kind}
            onChange={(kind) => onChange({ ...value, kind: kind ?? 'grant' })}
            allowDeselect={false}
          />
          <TextInput
            label="Пользователь (ФИО или логин)"
            value={value.targetUser}
            onChange={(e) => onChange({ ...value, targetUser: e.currentTarget.value })}
          />
          {byPhone && (
            <Autocomplete
              label="Как аутентифицирован звонящий (п. 3.3.1 (1))"
              description="Выберите способ или опишите свой"
              withAsterisk
              aria-required
              data={AUTHENTICATION_METHODS}
              value={value.method}
              onChange={(method) => onChange({ ...value, method })}
              error={methodError}
            />
          )}
        </>
      )}
    </Stack>
  );
}
