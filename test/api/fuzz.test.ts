/**
 * A bounded slice of `npm run fuzz` (issue #10) inside `npm test`: the same generators against the real
 * app over HTTP and the real SMTP intake, on this file's own database. The full run (10,000 HTTP and
 * 1,000 SMTP inputs) is `npm run fuzz`, bounded in CI by .ci/run.
 */
import { report, runFuzz } from '../../scripts/fuzz/run';
import { testDatabase } from '../support/database';

it('hostile HTTP and SMTP inputs: no 5xx, no poisoned ticket, no message unaccounted for', async () => {
  const db = await testDatabase();
  try {
    const figures = await runFuzz({ db: db.db, http: 500, smtp: 60, seed: 20250303 });
    const { text, ok } = report(figures);
    expect({ ok, text }).toEqual({ ok: true, text });
    expect(figures.http.byClass['2xx']).toBeGreaterThan(50);
    expect(figures.smtp.accepted).toBeGreaterThan(20);
  } finally {
    await db.drop();
  }
}, 120_000);
