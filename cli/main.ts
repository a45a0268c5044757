import type * as Calendar from './calendar';
import type * as Keys from './keys';
import type * as Reports from './reports';
import type * as Service from './service';
import type * as Tickets from './tickets';
import type * as Users from './users';
import { slaCommand } from './sla';
import { simulateCommand } from './simulate';
import { USAGE, UsageError } from './usage';

/** The service's modules (Temporal, PostgreSQL, SMTP) load only for the commands that need them. */
function lazy<T>(path: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path) as T;
}

/** Runs the CLI; returns the exit code (0 ok, 2 bad arguments, 1 unexpected failure). */
export async function main(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (!command || command === '-h' || command === '--help' || command === 'help') {
      out.write(USAGE + '\n');
      return command ? 0 : 2;
    }
    if (command === 'start' || command === 'serve') {
      if (rest.length)
        throw new UsageError(
          `${command} takes no arguments; it is configured by environment variables (README)`,
        );
      return await lazy<typeof Service>('./service').serviceCommand(
        command === 'start' ? 'all' : 'front',
        err,
      );
    }
    let output: string;
    if (command === 'sla') output = slaCommand(rest);
    else if (command === 'simulate') {
      const result = await simulateCommand(rest);
      out.write(result.output + '\n');
      return result.code;
    } else if (command === 'keys') output = await lazy<typeof Keys>('./keys').keysCommand(rest);
    else if (command === 'calendar') output = await lazy<typeof Calendar>('./calendar').calendarCommand(rest);
    else if (command === 'tickets') output = await lazy<typeof Tickets>('./tickets').ticketsCommand(rest);
    else if (command === 'reports') output = await lazy<typeof Reports>('./reports').reportsCommand(rest);
    else if (command === 'users') output = await lazy<typeof Users>('./users').usersCommand(rest);
    else throw new UsageError(`unknown command "${command}" (run reglament --help)`);
    out.write(output + '\n');
    return 0;
  } catch (e) {
    const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    err.write(`reglament: ${(e as Error).message}\n`);
    return usage ? 2 : 1;
  }
}
