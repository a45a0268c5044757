/**
 * The automatic-mail rate limit (no mail loops: an address gets at most MAIL_AUTOMATIC_PER_HOUR
 * automatic letters an hour) costs at most the limit's rows, not the address's history nor its whole
 * last hour. Seen at scale: 100,000 tickets from one address made every further letter to it read all
 * its letters first (0.4 s each) and a desk's intake stalled (db/migrations/0023_automatic_mail_window.sql).
 */
import { sql } from 'drizzle-orm';
import {
  automaticMailsWithinHour,
  claimOutgoing,
  markOutgoing,
  overAutomaticLimit,
} from '../../db/repositories/correspondence';
import { testDatabase } from '../support/database';
import { explainAnalyze, planNodes, rowsExamined } from '../support/plans';

const BUSY = 'rpgu@region.ru';
const HISTORY = 20_000;
const LAST_HOUR = 5_000;

describe('the automatic-mail rate limit reads no more than the limit (real PostgreSQL)', () => {
  let handle: Awaited<ReturnType<typeof testDatabase>>;
  beforeAll(async () => {
    handle = await testDatabase();
    // Years of automatic letters to one shared mailbox (some to others), then a flood in the last hour.
    await handle.db.execute(sql`
      insert into correspondence (direction, key, to_addresses, status, automatic, created_at)
      select 'out', 'old-' || i, case when i % 10 = 0 then array['other' || i || '@example.ru'] else array[${BUSY}] end,
             'sent', true, now() - interval '2 hours' - i * interval '1 minute'
        from generate_series(1, ${HISTORY}) i`);
    await handle.db.execute(sql`
      insert into correspondence (direction, key, to_addresses, status, automatic, created_at)
      select 'out', 'recent-' || i, array[${BUSY}], 'sent', true, now() - i * interval '0.5 second'
        from generate_series(1, ${LAST_HOUR}) i`);
    await handle.db.execute(sql`analyze`);
  }, 120_000);
  afterAll(async () => {
    await handle.drop();
  });

  it('counts what was sent or stored in the last hour, through the path the mail activity takes', async () => {
    const fresh = 'new@example.ru';
    const letter = (key: string) => ({
      key,
      ticketId: 'ID100001',
      template: 'ack',
      messageId: `<${key}@dprim.ru>`,
      inReplyTo: null,
      fromAddress: 'help@dprim.ru',
      toAddresses: [fresh, 'copy@example.ru'],
      subject: 'Заявка принята',
      body: 'Текст',
      automatic: true,
    });
    await claimOutgoing(handle.db, letter('a1'));
    expect(await overAutomaticLimit(handle.db, [fresh], 1)).toEqual(new Set());
    await markOutgoing(handle.db, 'a1', 'sent');
    await markOutgoing(handle.db, 'a1', 'sent');
    await claimOutgoing(handle.db, letter('a2'));
    await markOutgoing(handle.db, 'a2', 'suppressed');
    expect(await overAutomaticLimit(handle.db, [fresh, 'copy@example.ru'], 1)).toEqual(
      new Set([fresh, 'copy@example.ru']),
    );
    expect(await overAutomaticLimit(handle.db, [fresh], 2)).toEqual(new Set());
    expect(await overAutomaticLimit(handle.db, [BUSY, 'nobody@example.ru'], LAST_HOUR + 1)).toEqual(
      new Set(),
    );
    expect(await overAutomaticLimit(handle.db, [BUSY], LAST_HOUR)).toEqual(new Set([BUSY]));
  });

  it('reads at most the limit’s rows of the address, not its letters of the hour or of the years', async () => {
    const limit = 50;
    const plan = await explainAnalyze(handle.pool, automaticMailsWithinHour(handle.db, BUSY, limit).toSQL());
    const read = planNodes(plan)
      .filter((n) => n['Relation Name'] || n['Index Name'])
      .reduce((sum, n) => sum + rowsExamined(n), 0);
    const shape = planNodes(plan).map(
      (n) => `${n['Node Type']}${n['Index Name'] ? ` ${n['Index Name']}` : ''}`,
    );
    expect({ shape, read, withinLimit: read <= 2 * limit }).toEqual({ shape, read, withinLimit: true });
  });
});
