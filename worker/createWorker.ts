import { existsSync } from 'node:fs';
import { type NativeConnection, Worker } from '@temporalio/worker';
import nodemailer from 'nodemailer';
import type { Config } from '../config';
import { createActivities } from '../activities';
import type { Database } from '../db/client';
import { workerBundleOptions } from './workflowBundle';

export interface WorkerOptions {
  readonly connection: NativeConnection;
  readonly config: Config;
  readonly db: Database;
  /** A prebuilt workflow bundle (production); without it the worker bundles workflows/ at start. */
  readonly workflowBundlePath?: string;
}

export function mailTransport(smtpUrl: string | null) {
  return smtpUrl ? nodemailer.createTransport(smtpUrl) : null;
}

/** The worker's capacity from its configuration (issue #21: chosen by measuring deadline bursts). */
export function workerCapacity(worker: Config['worker']) {
  return {
    maxCachedWorkflows: worker.maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: worker.workflowTasks,
    maxConcurrentActivityTaskExecutions: worker.activityTasks,
  };
}

export async function createTicketWorker({
  connection,
  config,
  db,
  workflowBundlePath,
}: WorkerOptions): Promise<Worker> {
  const activities = createActivities({
    db,
    mail: {
      transport: mailTransport(config.mail.smtpUrl),
      settings: {
        from: config.mail.from,
        domain: config.mail.domain,
        instance: config.mail.instance,
        roles: config.mail.roles,
        automaticPerHour: config.mail.automaticPerHour,
      },
    },
  });
  const bundle = workflowBundlePath && existsSync(workflowBundlePath) ? workflowBundlePath : undefined;
  return Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    activities,
    ...workerCapacity(config.worker),
    ...(bundle ? { workflowBundle: { codePath: bundle } } : workerBundleOptions),
  });
}
