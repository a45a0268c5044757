import type { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { searchAttributes } from '../workflows/messages';

const { IndexedValueType } = temporal.api.enums.v1;

const INDEXED: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  [SearchAttributeType.KEYWORD]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.DATETIME]: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  [SearchAttributeType.BOOL]: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
};

// gRPC status codes.
const ALREADY_EXISTS = 6;
const UNIMPLEMENTED = 12;
const code = (e: unknown): number | undefined => (e as { code?: number }).code;

/**
 * Makes sure the ticket's custom search attributes exist on the namespace: an unregistered attribute
 * fails every workflow task that upserts it. Adds only the missing ones and returns their names.
 * Servers that cannot list attributes (the time-skipping test server) get all of them added.
 */
export async function ensureSearchAttributes(
  connection: Pick<Connection, 'operatorService'>,
  namespace: string,
): Promise<string[]> {
  let known = new Set<string>();
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    known = new Set([
      ...Object.keys(existing.customAttributes ?? {}),
      ...Object.keys(existing.systemAttributes ?? {}),
    ]);
  } catch (e) {
    if (code(e) !== UNIMPLEMENTED) throw e;
  }
  const added: string[] = [];
  for (const key of Object.values(searchAttributes).filter((k) => !known.has(k.name))) {
    try {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: { [key.name]: INDEXED[key.type]! },
      });
      added.push(key.name);
    } catch (e) {
      if (code(e) !== ALREADY_EXISTS) throw e;
    }
  }
  return added;
}
