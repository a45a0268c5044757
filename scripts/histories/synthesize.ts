/**
 * Synthesizes replay fixtures where no Temporal server can record them (offline machines):
 * a small model of the ticket workflow's command protocol (activities, search attributes, timers,
 * completion) drives the domain and writes the history a server would have recorded. The replay
 * suite (test/workflows/replay.test.ts) then runs the real workflow code against it: any divergence
 * between the workflow and this model, or a change of the workflow's commands, fails replay.
 *
 *   npx tsx scripts/histories/synthesize.ts      # writes test/fixtures/histories/synthetic-*.json
 *
 * Histories recorded from a real server (scripts/histories/record.ts) are preferred when available.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  advanceTo,
  applyCommand,
  nextDeadline,
  notificationsFor,
  openTicket,
  ticketIndex,
  type Applied,
  type TicketState,
} from '../../domain';
import type { QueuedCommand, TicketWorkflowInput } from '../../workflows/messages';
import { HistoryBuilder, type Command } from '../../test/support/historyBuilder';
import { scenarios, SYNTHETIC_MONDAY, type ScriptedSignal } from './scenarios';

interface Wait {
  readonly timerId: number | null;
  readonly due: number | null;
  readonly resolve: (signalled: boolean) => void;
}

/** The ticket workflow's loop, step for step, emitting the commands it issues. */
class Model {
  readonly commands: Command[] = [];
  readonly queue: QueuedCommand[] = [];
  /** Activities scheduled and not yet completed, in the order they were scheduled. */
  readonly pending: { id: number; resolve: () => void }[] = [];
  wait: Wait | null = null;
  done = false;
  now: number;
  private activities = 0;
  private timers = 0;
  private indexed = '';

  constructor(start: number) {
    this.now = start;
  }

  private activity(type: string, input: unknown): Promise<void> {
    this.commands.push({ kind: 'activity', type, input });
    const id = ++this.activities;
    return new Promise((resolve) => this.pending.push({ id, resolve }));
  }

  private condition(due: number | null): Promise<boolean> {
    let timerId: number | null = null;
    if (due !== null) {
      this.commands.push({ kind: 'timer', ms: due - this.now });
      timerId = ++this.timers;
    }
    return new Promise((resolve) => {
      this.wait = {
        timerId,
        due,
        resolve: (signalled) => {
          this.wait = null;
          resolve(signalled);
        },
      };
    });
  }

  private index(state: TicketState): void {
    const values = ticketIndex(state);
    const key = JSON.stringify(values);
    if (key === this.indexed) return;
    this.indexed = key;
    this.commands.push({
      kind: 'upsert',
      attributes: {
        TicketType: [values.type],
        TicketStatus: [values.status],
        SupportLine: [values.line],
        ...(values.organization && { Organization: [values.organization] }),
        Regulation: [values.regulation],
        ...(values.slaDueAt && { SlaDueAt: [values.slaDueAt] }),
        SlaBreached: [values.slaBreached],
      },
    });
  }

  async run(input: TicketWorkflowInput): Promise<void> {
    this.queue.push(...(input.initialCommands ?? []));
    const seen = new Set<string>();
    let state: TicketState;
    let persisted: Promise<void> = Promise.resolve();
    let mailed: Promise<void> = Promise.resolve();
    const commit = (applied: Applied): void => {
      state = applied.state;
      if (!applied.events.length) return;
      const snapshot = state;
      persisted = persisted.then(() =>
        this.activity('recordTicket', { state: snapshot, events: applied.events }),
      );
      this.index(state);
      const mails = applied.events.flatMap((event) => notificationsFor(event, snapshot));
      if (!mails.length) return;
      const after = persisted;
      mailed = Promise.all([mailed, after]).then(async () => {
        for (const mail of mails) await this.activity('sendMail', mail);
      });
    };
    const opened = openTicket(input.open!);
    commit(opened);
    for (;;) {
      commit(advanceTo(state!, this.now));
      const command = this.queue.shift();
      if (command) {
        if (command.commandId) {
          if (seen.has(command.commandId)) continue;
          seen.add(command.commandId);
        }
        commit(applyCommand(state!, command, this.now));
        continue;
      }
      if (state!.archived) break;
      const next = nextDeadline(state!);
      const wait = next ? next.at - this.now : undefined;
      if (wait !== undefined && wait <= 0) continue;
      await this.condition(next ? next.at : null);
    }
    await Promise.all([persisted, mailed]);
    this.commands.push({
      kind: 'complete',
      result: { id: state!.id, status: state!.status, statusReason: state!.statusReason, seq: state!.seq },
    });
    this.done = true;
  }
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Drives the model through a scenario and writes the history a server would have recorded. Outstanding
 * activities complete first, in the order they were scheduled; then the next signal or timer.
 */
async function synthesize(
  name: string,
  input: TicketWorkflowInput,
  signals: readonly ScriptedSignal[],
  until: number,
): Promise<void> {
  const start = Date.parse(input.open!.receivedAt);
  const history = new HistoryBuilder('ticketWorkflow', 'reglament').started(start, input);
  const model = new Model(start);
  const flush = async (at: number): Promise<void> => {
    await tick();
    history.task(at, model.commands.splice(0));
  };
  void model.run(input);
  await flush(start);
  const pending = [...signals];
  while (!model.done) {
    const activity = model.pending.shift();
    if (activity) {
      history.activityCompleted(model.now, activity.id, undefined);
      activity.resolve();
      await flush(model.now);
      continue;
    }
    const wait = model.wait;
    if (!wait) throw new Error(`${name}: the model is neither waiting nor done`);
    const signal = pending[0];
    if (signal && (wait.due === null || signal.at < wait.due)) {
      pending.shift();
      model.now = signal.at;
      history.signaled(signal.at, signal.name, signal.payload);
      model.queue.push({ ...signal.payload, type: signal.name } as QueuedCommand);
      if (wait.timerId !== null) model.commands.push({ kind: 'cancelTimer', timerId: wait.timerId });
      wait.resolve(true);
      await flush(signal.at);
      continue;
    }
    if (wait.due === null || wait.due > until) break;
    model.now = wait.due;
    history.timerFired(wait.due, wait.timerId!);
    wait.resolve(false);
    await flush(wait.due);
  }
  const dir = join(__dirname, '../../test/fixtures/histories');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `synthetic-${name}.json`), JSON.stringify(history.toJSON(), null, 2) + '\n');
  console.log(`synthetic-${name}.json: ${history.toJSON().events.length} events`);
}

async function main(): Promise<void> {
  for (const scenario of scenarios(SYNTHETIC_MONDAY)) {
    await synthesize(scenario.name, scenario.input, scenario.signals, scenario.until);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
