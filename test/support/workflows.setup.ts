/** The workflow suites need both a Temporal server (when obtainable) and PostgreSQL (for the API flows). */
import postgres from './postgres.setup';
import temporal from './temporal.setup';

export default async function setup(): Promise<void> {
  await temporal();
  await postgres();
}
