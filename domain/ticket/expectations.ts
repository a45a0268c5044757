/**
 * Testers' checks on a scenario's run, whatever engine ran it (the pure runtime, or the real workflow
 * on a time-skipping Temporal server): what a scenario expects, and where two runs of it part ways.
 * Instants are compared to the minute, as the regulations count time.
 */
import type { TimelineEntry } from './simulate';

/** A mail someone would have received, at the instant of the event that sent it. */
export interface SimulatedMail {
  readonly at: string;
  readonly template: string;
  /** Addresses, with the staff roles resolved as the scenario's run resolves them. */
  readonly to: readonly string[];
  readonly subject: string;
}

/** What both engines print for a scenario. */
export interface ScenarioRun {
  readonly status: string;
  readonly reason: string | null;
  readonly timeline: readonly TimelineEntry[];
  readonly deadlines: Readonly<Record<string, string | null>>;
  readonly mail: readonly SimulatedMail[];
}

type Expected<T> = Partial<T> & Readonly<Record<string, unknown>>;

/** A scenario's `expect`: the outcome, events and mail that must happen (in this order). */
export interface ScenarioExpectation {
  readonly status?: string;
  readonly reason?: string | null;
  readonly events?: readonly (Expected<TimelineEntry> & { readonly event: string })[];
  readonly mail?: readonly (Expected<Omit<SimulatedMail, 'to'>> & {
    readonly template: string;
    readonly to?: string;
  })[];
  readonly deadlines?: Readonly<Record<string, string | null>>;
}

const MINUTE = 60_000;
const minute = (iso: string): number => Math.floor(Date.parse(iso) / MINUTE);

/** Same instant to the minute (both ISO, any offsets), or both absent. */
export function sameMinute(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a == null || b == null) return a == b;
  return minute(a) === minute(b);
}

const same = (key: string, expected: unknown, actual: unknown): boolean =>
  key === 'at' || key === 'dueAt'
    ? sameMinute(expected as string, actual as string)
    : JSON.stringify(expected) === JSON.stringify(actual);

function matches(expected: Readonly<Record<string, unknown>>, actual: Readonly<Record<string, unknown>>) {
  return Object.entries(expected).every(([k, v]) => same(k, v, actual[k]));
}

const describe = (o: Readonly<Record<string, unknown>>): string =>
  Object.entries(o)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');

/** Finds each expected item after the previous one; returns what was not found, with where it looked. */
function inOrder(
  what: string,
  expected: readonly Readonly<Record<string, unknown>>[],
  actual: readonly Readonly<Record<string, unknown>>[],
): string[] {
  let from = 0;
  for (const item of expected) {
    const found = actual.findIndex((a, i) => i >= from && matches(item, a));
    if (found < 0) {
      // The same kind of event or mail elsewhere, with when it happened: usually the instant is what differs.
      const kind = item.event !== undefined ? 'event' : 'template';
      const near = actual
        .slice(from)
        .filter((a) => a[kind] === item[kind])
        .map((a) => describe({ [kind]: a[kind], at: a.at }));
      return [
        `${what} not found${from ? ' after the previous one' : ''}: ${describe(item)}` +
          (near.length ? `; there is ${near.join('; ')}` : ''),
      ];
    }
    from = found + 1;
  }
  return [];
}

/** Every expectation the run does not meet, as sentences a tester reads; empty when all are met. */
export function unmetExpectations(run: ScenarioRun, expect: ScenarioExpectation): string[] {
  const failures: string[] = [];
  if (expect.status !== undefined && run.status !== expect.status)
    failures.push(`status is ${run.status}, expected ${expect.status}`);
  if (expect.reason !== undefined && run.reason !== expect.reason)
    failures.push(`reason is ${String(run.reason)}, expected ${String(expect.reason)}`);
  for (const [name, due] of Object.entries(expect.deadlines ?? {}))
    if (!sameMinute(due, run.deadlines[name] ?? null))
      failures.push(`deadline ${name} is ${String(run.deadlines[name] ?? null)}, expected ${String(due)}`);
  failures.push(...inOrder('event', expect.events ?? [], run.timeline));
  const mail = run.mail.map(({ to, ...m }) => ({ ...m, to: to.join(', ') }));
  const wanted = (expect.mail ?? []).map(({ to: _to, ...m }) => m);
  failures.push(...inOrder('mail', wanted, mail));
  for (const [i, m] of (expect.mail ?? []).entries()) {
    if (m.to === undefined) continue;
    const sent = run.mail.filter(
      (x) => x.template === m.template && (m.at === undefined || sameMinute(m.at, x.at)),
    );
    if (!sent.some((x) => x.to.includes(m.to!)))
      failures.push(`mail ${i + 1} (${m.template}) did not go to ${m.to}`);
  }
  return failures;
}

/** What two runs of one scenario are compared on: each event, its minute, the status after it. */
function comparable(e: TimelineEntry): Record<string, unknown> {
  const { seq: _seq, at, ...rest } = e;
  return { ...rest, minute: minute(at) };
}

/**
 * Where two runs of a scenario first differ (events in order, then deadlines, mail and the outcome),
 * or null when they agree. Event sequence numbers are not compared: a command an Update's validator
 * refused is not recorded in the ticket's log.
 */
export function firstDifference(a: ScenarioRun, b: ScenarioRun, names: [string, string]): string | null {
  const [an, bn] = names;
  const length = Math.max(a.timeline.length, b.timeline.length);
  for (let i = 0; i < length; i++) {
    const x = a.timeline[i];
    const y = b.timeline[i];
    if (x && y && JSON.stringify(comparable(x)) === JSON.stringify(comparable(y))) continue;
    const show = (e: TimelineEntry | undefined): string => {
      if (!e) return 'nothing';
      const { at, seq: _seq, event, status, statusLabel: _label, by, ...details } = e;
      const more = Object.keys(details).length ? `, ${describe(details)}` : '';
      return `«${event}» at ${at} (${status}, by ${by}${more})`;
    };
    return `event ${i + 1}: ${an} has ${show(x)}; ${bn} has ${show(y)}`;
  }
  for (const name of new Set([...Object.keys(a.deadlines), ...Object.keys(b.deadlines)]))
    if (!sameMinute(a.deadlines[name] ?? null, b.deadlines[name] ?? null))
      return `deadline ${name}: ${an} ${String(a.deadlines[name] ?? null)}, ${bn} ${String(b.deadlines[name] ?? null)}`;
  const mails = Math.max(a.mail.length, b.mail.length);
  for (let i = 0; i < mails; i++) {
    const x = a.mail[i];
    const y = b.mail[i];
    if (x && y && x.template === y.template && sameMinute(x.at, y.at) && x.to.join() === y.to.join())
      continue;
    const show = (m: SimulatedMail | undefined) =>
      m ? `${m.template} at ${m.at} to ${m.to.join(', ')}` : 'nothing';
    return `mail ${i + 1}: ${an} sent ${show(x)}, ${bn} sent ${show(y)}`;
  }
  if (a.status !== b.status || a.reason !== b.reason)
    return `outcome: ${an} ${a.status}/${String(a.reason)}, ${bn} ${b.status}/${String(b.reason)}`;
  return null;
}
