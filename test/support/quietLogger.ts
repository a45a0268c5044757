import type { Logger } from '@temporalio/common';

/** Activity failures are expected in these tests; their log lines would only be noise. */
export const quietLogger: Logger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
