/**
 * `reglament tickets restore <id>… | --all-missing`: starts again the workflows of open tickets the
 * reconciler found without one, from their stored state (TEMPORAL_ADDRESS, DATABASE_URL or the
 * embedded database under DATA_DIR).
 */
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../config';
import { missingWorkflowTickets } from '../db/repositories/tickets';
import { TemporalGateway } from '../workflows/client';
import { restoreTicket } from '../workflows/lifecycle';
import { withDatabase } from './keys';
import { UsageError } from './usage';

const TICKETS_USAGE = `reglament tickets — tickets whose workflow was lost

  reglament tickets restore <id>…         start the workflows of these tickets from their stored state
  reglament tickets restore --all-missing every open ticket the reconciler flagged (workflowMissing)`;

export async function ticketsCommand(argv: string[]): Promise<string> {
  const [sub, ...rest] = argv;
  if (!sub || sub === 'help' || sub === '--help' || sub === '-h' || rest.includes('--help')) {
    if (!sub) throw new UsageError(`tickets needs a command\n${TICKETS_USAGE}`);
    return TICKETS_USAGE;
  }
  if (sub !== 'restore') throw new UsageError(`unknown tickets command "${sub}" (restore)`);
  const { values, positionals } = parseArgs({
    args: rest,
    options: { 'all-missing': { type: 'boolean' } },
    strict: true,
    allowPositionals: true,
  });
  if (!values['all-missing'] && !positionals.length)
    throw new UsageError('tickets restore needs ticket IDs or --all-missing');
  const config = loadConfig();
  if (!config.temporal.address)
    throw new UsageError('set TEMPORAL_ADDRESS to the Temporal server the workflows run on');
  const connection = await Connection.connect({ address: config.temporal.address, connectTimeout: 10_000 });
  try {
    const gateway = new TemporalGateway(new Client({ connection, namespace: config.temporal.namespace }), {
      taskQueue: config.temporal.taskQueue,
      namespace: config.temporal.namespace,
      timeoutMs: 15_000,
    });
    return await withDatabase(async (db) => {
      const ids = values['all-missing'] ? await missingWorkflowTickets(db) : positionals;
      const lines: string[] = [];
      for (const id of ids) {
        try {
          await restoreTicket(db, gateway, id);
          lines.push(`${id}: restored`);
        } catch (e) {
          lines.push(`${id}: not restored: ${(e as Error).message}`);
        }
      }
      return lines.join('\n') || 'no ticket is missing its workflow';
    });
  } finally {
    await connection.close();
  }
}
