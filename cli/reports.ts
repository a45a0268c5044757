/**
 * `reglament reports check | rebuild`: the counters the dashboard, the SLA figures and /metrics read
 * (issue #21) compared with, or recomputed from, the tickets themselves (DATABASE_URL or the embedded
 * database under DATA_DIR).
 */
import { checkReportCounters, rebuildReportCounters } from '../db/repositories/reportCounters';
import { withDatabase } from './keys';
import { UsageError } from './usage';

const REPORTS_USAGE = `reglament reports — the counters behind the dashboard and /metrics

  reglament reports check     compare the kept counters with the tickets; exit 1 on a difference
  reglament reports rebuild   recompute the counters from the tickets`;

export class CountersDiffer extends Error {}

export async function reportsCommand(argv: string[]): Promise<string> {
  const [sub, ...rest] = argv;
  if (!sub || sub === 'help' || sub === '--help' || sub === '-h') {
    if (!sub) throw new UsageError(`reports needs a command\n${REPORTS_USAGE}`);
    return REPORTS_USAGE;
  }
  if (rest.length) throw new UsageError(`reports ${sub} takes no arguments`);
  if (sub === 'rebuild')
    return withDatabase(async (db) => {
      await rebuildReportCounters(db);
      return 'counters recomputed from the tickets';
    });
  if (sub === 'check')
    return withDatabase(async (db) => {
      const differences = await checkReportCounters(db);
      if (differences.length)
        throw new CountersDiffer(
          `${differences.length} counters differ from the tickets (repair: reglament reports rebuild)\n${differences.slice(0, 50).join('\n')}`,
        );
      return 'counters agree with the tickets';
    });
  throw new UsageError(`unknown reports command "${sub}" (check, rebuild)`);
}
