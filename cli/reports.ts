/**
 * `reglament reports check | rebuild`: the counters the dashboard, the SLA figures and /metrics read
 * (issue #21) compared with, or recomputed from, the tickets themselves (DATABASE_URL or the embedded
 * database under DATA_DIR).
 */
import { checkReportCounters, rebuildReportCounters } from '../db/repositories/reportCounters';
import { withDatabase } from './keys';
import { UsageError } from './usage';

const REPORTS_USAGE = `reglament reports — the counters behind the dashboard and /metrics

  reglament reports check            compare the kept aggregates with the tickets; exit 1 on a difference
  reglament reports check --repair   the same, then recompute what differs and check again
  reglament reports rebuild          recompute the aggregates from the tickets`;

export class CountersDiffer extends Error {}

export async function reportsCommand(argv: string[]): Promise<string> {
  const [sub, ...rest] = argv;
  if (!sub || sub === 'help' || sub === '--help' || sub === '-h') {
    if (!sub) throw new UsageError(`reports needs a command\n${REPORTS_USAGE}`);
    return REPORTS_USAGE;
  }
  const repair = sub === 'check' && rest.length === 1 && rest[0] === '--repair';
  if (rest.length && !repair)
    throw new UsageError(`reports ${sub} takes no arguments${sub === 'check' ? ' but --repair' : ''}`);
  if (sub === 'rebuild')
    return withDatabase(async (db) => {
      await rebuildReportCounters(db);
      return 'counters recomputed from the tickets';
    });
  if (sub === 'check')
    return withDatabase(async (db) => {
      const differences = await checkReportCounters(db);
      const listed = `${differences.length} counters differ from the tickets`;
      if (differences.length && repair) {
        await rebuildReportCounters(db);
        const left = await checkReportCounters(db);
        if (left.length)
          throw new CountersDiffer(
            `${listed}; after the rebuild still ${left.length}\n${left.slice(0, 50).join('\n')}`,
          );
        return `${listed}, repaired (recomputed from the tickets)\n${differences.slice(0, 50).join('\n')}`;
      }
      if (differences.length)
        throw new CountersDiffer(
          `${listed} (repair: reglament reports check --repair)\n${differences.slice(0, 50).join('\n')}`,
        );
      return 'aggregates agree with the tickets';
    });
  throw new UsageError(`unknown reports command "${sub}" (check, rebuild)`);
}
