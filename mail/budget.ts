/**
 * What processing one message may cost (issue #18): the dispatcher shares its event loop with the API,
 * the console and the SMTP intake, so no message may stall it. Sizes are bounded when the message is
 * parsed (mail/parse.ts), the lines a message may have are bounded here, and the synchronous decision
 * is timed. A message over its budget is held with the reason for an operator, never retried.
 */
import type { InboundMessage } from './parse';

export interface MessageBudget {
  /** Lines of decoded text: more is a dump or an attack, not a request someone wrote. */
  readonly maxLines: number;
  /**
   * Milliseconds the synchronous decision (extraction and classification) may take. Linear-time text
   * handling keeps a 100 KB body well under 100 ms; this is the net for what slips through, generous
   * enough that a cold start or a collector's pause on a busy machine never holds an ordinary message.
   */
  readonly maxMs: number;
}

export const DEFAULT_MESSAGE_BUDGET: MessageBudget = { maxLines: 5_000, maxMs: 1_000 };

const PREFIX = 'over the processing budget';

function lineCount(text: string, stopAfter: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && n <= stopAfter; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Why a parsed message is over its budget before any work on it, or null. */
export function overSizeBudget(m: InboundMessage, budget: MessageBudget): string | null {
  const lines = lineCount(m.text, budget.maxLines);
  return lines > budget.maxLines ? `${PREFIX}: more than ${budget.maxLines} lines` : null;
}

/** Why a decision that took `ms` is over the budget, or null. */
export function overTimeBudget(ms: number, budget: MessageBudget): string | null {
  return ms > budget.maxMs ? `${PREFIX}: ${Math.round(ms)} ms, at most ${budget.maxMs} ms` : null;
}
