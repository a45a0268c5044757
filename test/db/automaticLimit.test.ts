/**
 * The automatic-mail rate limit (no mail loops: an address gets at most MAIL_AUTOMATIC_PER_HOUR
 * automatic letters an hour) costs an address's last hour, not its whole history. Seen at scale: one
 * address that had got 95,000 automatic letters made every further letter to it, and every mail from
 * it, read all of them first, and a desk's intake stalled (db/migrations/0023_automatic_mail_window.sql).
 */
import { sql } from 'drizzle-orm';
import { automaticMailsWithinHour, overAutomaticLimit } from '../../db/repositories/correspondence';
import { testDatabase } from '../support/database';

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  'Actual Rows': number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}
const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

const BUSY = 'rpgu@region.ru';
const HISTORY = 20_000;

describe('the automatic-mail rate limit reads the last hour only (real PostgreSQL)', () => {
  let handle: Awaited<ReturnType<typeof testDatabase>>;
  beforeAll(async () => {
    handle = await testDatabase();
    // Years of automatic letters to one shared mailbox (a few to others), then 7 in the last hour.
    await handle.db.execute(sql`
      insert into correspondence (direction, key, to_addresses, status, automatic, created_at)
      select 'out', 'old-' || i, case when i % 10 = 0 then array['other' || i || '@example.ru'] else array[${BUSY}] end,
             'sent', true, now() - interval '2 hours' - i * interval '1 minute'
        from generate_series(1, ${HISTORY}) i`);
    await handle.db.execute(sql`
      insert into correspondence (direction, key, to_addresses, status, automatic, created_at)
      select 'out', 'recent-' || i, array[${BUSY}, 'copy@example.ru'], 'sent', true, now() - i * interval '5 minutes'
        from generate_series(1, 7) i`);
    await handle.db.execute(sql`vacuum analyze correspondence`);
  }, 120_000);
  afterAll(async () => {
    await handle.drop();
  });

  it('counts the letters of the last hour: under the limit, then at it', async () => {
    expect(await overAutomaticLimit(handle.db, [BUSY, 'nobody@example.ru'], 8)).toEqual(new Set());
    expect(await overAutomaticLimit(handle.db, [BUSY, 'nobody@example.ru'], 7)).toEqual(new Set([BUSY]));
    expect(await overAutomaticLimit(handle.db, ['copy@example.ru'], 7)).toEqual(new Set(['copy@example.ru']));
  });

  it('reads the address’s letters of the last hour from the index, not every letter it ever got', async () => {
    const query = automaticMailsWithinHour(handle.db, BUSY, 20).toSQL();
    const { rows } = await handle.pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `explain (analyze, format json) ${query.sql}`,
      query.params,
    );
    const plan = rows[0]!['QUERY PLAN'][0].Plan;
    // Rows the scans of letters looked at: what they passed on and what they checked and dropped.
    const read = nodes(plan)
      .filter((n) => n['Relation Name'] === 'correspondence' || n['Index Name'])
      .reduce(
        (sum, n) =>
          sum +
          n['Actual Rows'] +
          (n['Rows Removed by Filter'] ?? 0) +
          (n['Rows Removed by Index Recheck'] ?? 0),
        0,
      );
    const shape = nodes(plan).map((n) => `${n['Node Type']}${n['Index Name'] ? ` ${n['Index Name']}` : ''}`);
    expect({ shape, read, withinHour: read <= 2 * 7 }).toEqual({ shape, read, withinHour: true });
    expect(shape).toContain('Bitmap Index Scan correspondence_auto_idx');
  });
});
