/**
 * What kind of failure a database error is. Drizzle wraps the driver's error (its message repeats the
 * query and every parameter: a whole e-mail, a ticket's state), so messages meant for logs and people
 * are taken from the driver's error, never from the wrapper.
 */

interface DriverError {
  readonly code?: unknown;
  readonly message?: unknown;
  readonly cause?: unknown;
}

function driverError(error: unknown): DriverError | null {
  let e = error as DriverError | null | undefined;
  for (let depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e;
    e = e.cause as DriverError | undefined;
  }
  return null;
}

/** PostgreSQL's SQLSTATE of an error (through Drizzle's wrapper), or null. */
export function sqlState(error: unknown): string | null {
  return (driverError(error)?.code as string | undefined) ?? null;
}

/**
 * An error that retrying the same write cannot fix: PostgreSQL refused the data itself (class 22 data
 * exception: an encoding, a NUL, a value out of range; class 23 integrity constraint; class 54 a
 * program limit such as a too long tsvector), or the data could not even be turned into a query (an
 * invalid date). A connection that dropped, a deadlock, a server shutting down are not: they pass.
 */
export function isUnfixableDataError(error: unknown): boolean {
  const state = sqlState(error);
  if (state) return /^(22|23|54)/.test(state);
  return error instanceof RangeError;
}

/** A short description for logs and operators: the SQLSTATE and the driver's message, no parameters. */
export function describeError(error: unknown): string {
  const driver = driverError(error);
  if (driver) return `${String(driver.code)} ${String(driver.message ?? '').slice(0, 300)}`;
  const message = error instanceof Error ? error.message : String(error);
  // Drizzle's own wrapper without a driver error: its first line only, never the parameters.
  return (message.split('\n')[0] ?? '').replace(/params:.*$/s, '').slice(0, 300);
}
