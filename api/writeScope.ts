/**
 * Write-side organisation scope (issue #18, finding 2), in one place: a key or a person limited to
 * one organisation may not name another organisation inside a request body — an organisation's ID,
 * or an e-mail address that belongs to another organisation (an authorised person's, or one on its
 * domain). `mount` (api/route.ts) runs this for every route with a body; reads are scoped by route.
 */
import type { Database } from '../db/client';
import { whoIs } from '../db/repositories/organizations';
import { Problem } from './problems';

/** Body keys that name an organisation. */
const ORGANIZATION_KEYS = new Set(['organizationId', 'targetOrganizationId']);
/** Body keys that carry e-mail addresses (an initiator, a sender, a person, an assignee). */
const ADDRESS_KEYS = new Set(['email', 'from', 'extraEmails']);
/** Bodies are bounded by the JSON parser's limit; the walk is bounded too. */
const MAX_DEPTH = 8;
const MAX_ADDRESSES = 50;

interface Named {
  readonly organizations: Set<string>;
  readonly addresses: Set<string>;
}

function collect(value: unknown, found: Named, key: string | null, depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (typeof value === 'string') {
    if (key && ORGANIZATION_KEYS.has(key)) found.organizations.add(value.trim());
    else if (key && ADDRESS_KEYS.has(key) && value.includes('@') && found.addresses.size < MAX_ADDRESSES)
      found.addresses.add(value.trim().toLowerCase().slice(0, 320));
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value.slice(0, 100)) collect(v, found, key, depth + 1);
    return;
  }
  if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) collect(v, found, k, depth + 1);
}

const outOfScope = (what: string): Problem =>
  new Problem(
    'forbidden',
    `${what} Ключ или сотрудник организации работает только с данными своей организации; ` +
      'организацию заявки меняет администратор или руководитель всей службы командой «Изменить организацию».',
    { code: 'organization_scope' },
  );

/** Refuses (403, code organization_scope) a body of an actor limited to `own` that names another organisation. */
export async function enforceWriteScope(db: Database, own: string, body: unknown): Promise<void> {
  const found: Named = { organizations: new Set(), addresses: new Set() };
  collect(body, found, null, 0);
  const foreign = [...found.organizations].find((o) => o && o !== own);
  if (foreign !== undefined) throw outOfScope(`Указана другая организация («${foreign.slice(0, 100)}»).`);
  for (const address of found.addresses) {
    const owner = await whoIs(db, address);
    if (owner && owner.organizationId !== own)
      throw outOfScope(`Адрес ${address} относится к другой организации.`);
  }
}
