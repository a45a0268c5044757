/**
 * The worker process (`npm run worker`): TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TASK_QUEUE,
 * DATABASE_URL, SMTP_URL. Ctrl-C / SIGTERM let running tasks finish, then close connections.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { ConfigError, loadConfig } from '../config';
import { connectDatabase } from '../db/client';
import { migrateDatabase } from '../db/migrate';
import { createTicketWorker } from './createWorker';
import { TemporalGateway } from '../workflows/client';
import { startReconciler } from './reconciler';
import { ensureSearchAttributes } from './searchAttributes';

async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl)
    throw new ConfigError(
      'DATABASE_URL is required for a standalone worker (`npm start` runs an embedded database)',
    );
  const address = config.temporal.address ?? 'localhost:7233';
  const database = connectDatabase(config.databaseUrl, { applicationName: 'reglament-worker' });
  try {
    await migrateDatabase(database.db);
    const client = await Connection.connect({ address });
    try {
      const added = await ensureSearchAttributes(client, config.temporal.namespace);
      if (added.length) console.log(`registered search attributes: ${added.join(', ')}`);
      const connection = await NativeConnection.connect({ address });
      try {
        const worker = await createTicketWorker({
          connection,
          config,
          db: database.db,
          workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH,
        });
        // Open tickets without a running workflow are flagged for an admin to restore.
        const gateway = new TemporalGateway(
          new Client({ connection: client, namespace: config.temporal.namespace }),
          {
            taskQueue: config.temporal.taskQueue,
            namespace: config.temporal.namespace,
          },
        );
        const reconciler = startReconciler(database.db, gateway, (line) => console.log(line));
        console.log(
          `worker: ${address}, namespace ${config.temporal.namespace}, task queue ${config.temporal.taskQueue}`,
        );
        try {
          await worker.run();
        } finally {
          await reconciler.stop();
        }
      } finally {
        await connection.close();
      }
    } finally {
      await client.close();
    }
  } finally {
    await database.close();
  }
}

main().catch((err: Error) => {
  console.error(`reglament worker: ${err.name === 'ConfigError' ? 'configuration: ' : ''}${err.message}`);
  process.exit(1);
});
