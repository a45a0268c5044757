export default async function teardown(): Promise<void> {
  const server = globalThis.__reglamentPostgres;
  // Several projects' teardowns may run; the server stops once.
  globalThis.__reglamentPostgres = undefined;
  await server?.stop();
}
