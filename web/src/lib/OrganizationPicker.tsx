/**
 * Choosing an organisation by its name or INN (issue #19: people typed generated codes such as
 * `org-8b9d80ea`). Searches GET /organizations?q= as the person types; the value is the organisation's
 * code, what is read is its name.
 */
import { Autocomplete, Select, type AutocompleteProps, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { queries, type Organization } from '../api/queries';

export const organizationLabel = (o: Pick<Organization, 'name' | 'inn'>): string =>
  o.inn ? `${o.name} · ИНН ${o.inn}` : o.name;

export function OrganizationPicker({
  value,
  onChange,
  label = 'Организация',
  ...rest
}: {
  value: string | null;
  onChange: (id: string | null) => void;
  label?: string;
} & Omit<SelectProps, 'value' | 'onChange' | 'data' | 'label'>) {
  const [search, setSearch] = useState('');
  const [chosen, setChosen] = useState<Organization | null>(null);
  // What the field shows once chosen is the label itself: searching for it would find nothing.
  const typed = chosen && search === organizationLabel(chosen) ? '' : search;
  const [q] = useDebouncedValue(typed.trim(), 250);
  const found = useQuery({ ...queries.organizations.list(q), placeholderData: (prev) => prev });
  const all = useQuery(queries.organizations.list());
  const items = new Map<string, Organization>();
  for (const o of [...(found.data ?? []), ...(all.data ?? []).filter((o) => o.id === value)])
    items.set(o.id, o);
  if (chosen && chosen.id === value) items.set(chosen.id, chosen);
  return (
    <Select
      label={label}
      searchable
      clearable
      data={[...items.values()].map((o) => ({ value: o.id, label: organizationLabel(o) }))}
      // The server has matched name or INN; while its answer to what was typed is on its way, the list
      // shown is narrowed here, so it does not jump under the pointer when the answer comes.
      filter={q === typed.trim() && !found.isPlaceholderData ? ({ options }) => options : undefined}
      value={value}
      onChange={(id) => {
        setChosen(items.get(id ?? '') ?? null);
        onChange(id);
      }}
      searchValue={search}
      onSearchChange={setSearch}
      nothingFoundMessage={found.isFetching ? 'Поиск…' : 'Не найдено: название или ИНН'}
      {...rest}
    />
  );
}

/** The initiator's organisation as a form records it: its name, and its code when it is on file. */
export interface NamedOrganization {
  readonly name: string;
  readonly organizationId: string | null;
}

/**
 * The initiator's organisation where the regulation asks for its name (seed 000 п. 2.3.1.1
 * «наименование органа или организации»): found by name or INN among the desk's organisations as the
 * person types (then linked by its code), or kept as said when the caller's organisation is not on
 * file. Typing after a choice unlinks it.
 */
export function OrganizationNameField({
  value,
  onChange,
  label = 'Организация',
  ...rest
}: {
  value: NamedOrganization;
  onChange: (next: NamedOrganization) => void;
  label?: string;
} & Omit<AutocompleteProps, 'value' | 'onChange' | 'data' | 'label' | 'description'>) {
  const [q] = useDebouncedValue(value.organizationId ? '' : value.name.trim(), 250);
  const found = useQuery({ ...queries.organizations.list(q), placeholderData: (prev) => prev });
  const items = found.data ?? [];
  // The field then shows the chosen name: that change is the choice, not typing.
  const chosen = useRef<Organization | null>(null);
  return (
    <Autocomplete
      label={label}
      value={value.name}
      data={items.map((o) => ({ value: o.id, label: o.name }))}
      // As in OrganizationPicker: narrowed here until the server's answer to what was typed comes.
      filter={
        q === (value.organizationId ? '' : value.name.trim()) && !found.isPlaceholderData
          ? ({ options }) => options
          : undefined
      }
      renderOption={({ option }) => {
        const o = items.find((i) => i.id === option.value);
        return o ? organizationLabel(o) : option.value;
      }}
      onOptionSubmit={(id) => {
        const o = items.find((i) => i.id === id);
        if (!o) return;
        chosen.current = o;
        onChange({ name: o.name, organizationId: o.id });
      }}
      onChange={(name) => {
        if (chosen.current && name === chosen.current.name) return;
        chosen.current = null;
        onChange({ name, organizationId: null });
      }}
      description={
        value.organizationId
          ? 'Из списка организаций'
          : value.name.trim()
            ? 'Нет в списке: записано, как назвал инициатор'
            : 'Поиск по названию или ИНН'
      }
      {...rest}
    />
  );
}

/** An organisation's name by its code, for reading (the code while it loads or if unknown). */
export function useOrganizationName(id: string | null | undefined): string | null {
  const all = useQuery({ ...queries.organizations.list(), enabled: !!id });
  if (!id) return null;
  return all.data?.find((o) => o.id === id)?.name ?? id;
}
