/**
 * Test double for the Temporal gateway, for channel and API tests where no Temporal server can be
 * obtained: it runs what the workflow runs (the domain's runtime, then the real persistence and mail
 * activities against PostgreSQL), in process, with a controllable clock. Production always goes
 * through Temporal (workflows/client.ts); the workflow suites cover that path where a server exists.
 */
import type { TicketActivities } from '../../activities';
import {
  advanceBefore,
  applyCommand,
  decide,
  notificationsFor,
  openTicket,
  ticketView,
  type Applied,
  type TicketEvent,
  type TicketState,
  type TicketView,
} from '../../domain';
import {
  CommandRefusedError,
  TemporalUnavailableError,
  WorkflowMissingError,
  type OpenInput,
  type ReadinessCheck,
  type TicketGateway,
  type WorkflowHealth,
} from '../../workflows/client';
import type { CarriedTicket, CommandOutcome, QueuedCommand, UpdateCommand } from '../../workflows/messages';
import { openWithCommands } from '../../domain';

interface Live {
  state: TicketState;
  log: TicketEvent[];
  seen: Set<string>;
}

export class InProcessGateway implements TicketGateway {
  readonly tickets = new Map<string, Live>();
  /** How many times each ticket was opened and each command delivered (for exactly-once checks). */
  readonly opened: string[] = [];
  readonly delivered: { ticketId: string; command: QueuedCommand }[] = [];
  /** Make the next calls fail as if Temporal were unreachable. */
  down = false;
  /** Called before every open/send; a test can make it hang or throw to simulate a crash. */
  beforeCall: (kind: 'open' | 'send', ticketId: string) => Promise<void> = async () => undefined;

  constructor(
    private readonly activities: TicketActivities,
    public now: () => number = Date.now,
  ) {}

  private async commit(live: Live, applied: Applied): Promise<void> {
    live.state = applied.state;
    if (!applied.events.length) return;
    live.log.push(...applied.events);
    await this.activities.recordTicket({ state: live.state, events: applied.events });
    // As the workflow: a mail that fails for good is recorded by the activity, and the ticket goes on.
    for (const e of applied.events)
      for (const mail of notificationsFor(e, live.state))
        await this.activities.sendMail(mail).catch((error: unknown) => {
          if (!(error as { nonRetryable?: boolean }).nonRetryable) throw error;
        });
  }

  private check(): void {
    if (this.down) throw new TemporalUnavailableError('Temporal is unreachable (simulated)');
  }

  private live(ticketId: string): Live {
    const live = this.tickets.get(ticketId);
    if (!live) throw new WorkflowMissingError(ticketId, 'not found');
    return live;
  }

  async open(input: OpenInput): Promise<'started' | 'exists'> {
    this.check();
    await this.beforeCall('open', input.open.ticketId);
    if (this.tickets.has(input.open.ticketId)) return 'exists';
    // As the workflow does: with openedAt the opening commands are applied at that instant.
    const opened = input.openedAt
      ? openWithCommands(input.open, input.initialCommands ?? [], Date.parse(input.openedAt))
      : openTicket(input.open);
    const live: Live = { state: opened.state, log: [], seen: new Set() };
    this.tickets.set(input.open.ticketId, live);
    this.opened.push(input.open.ticketId);
    await this.commit(live, opened);
    for (const command of input.initialCommands ?? []) {
      if (input.openedAt) {
        if (command.commandId) live.seen.add(command.commandId);
      } else await this.apply(live, command);
    }
    return 'started';
  }

  async send(ticketId: string, command: QueuedCommand): Promise<void> {
    this.check();
    await this.beforeCall('send', ticketId);
    const live = this.live(ticketId);
    this.delivered.push({ ticketId, command });
    await this.apply(live, command);
  }

  /** The workflow's Update: the validator's decide() on the state as of now, then the ordered apply. */
  async execute(ticketId: string, command: UpdateCommand): Promise<CommandOutcome> {
    this.check();
    await this.beforeCall('send', ticketId);
    const live = this.live(ticketId);
    if (live.seen.has(command.commandId))
      return { commandId: command.commandId, events: [], state: live.state, duplicate: true };
    const now = this.now();
    const decision = decide(advanceBefore(live.state, now).state, command, now);
    if (!decision.ok) throw new CommandRefusedError(decision.refusal);
    this.delivered.push({ ticketId, command });
    const events = await this.apply(live, command);
    return { commandId: command.commandId, events, state: live.state, duplicate: false };
  }

  /** As the workflow applies a command: timers of earlier minutes first, then the command (seed 000 п. 3.5). */
  private async apply(live: Live, command: QueuedCommand): Promise<TicketEvent[]> {
    await this.commit(live, advanceBefore(live.state, this.now()));
    if (command.commandId) {
      if (live.seen.has(command.commandId)) return [];
      live.seen.add(command.commandId);
    }
    const applied = applyCommand(live.state, command, this.now());
    await this.commit(live, applied);
    return [...applied.events];
  }

  /** Loses a ticket's workflow, as a reset namespace would. */
  forget(ticketId: string): void {
    this.tickets.delete(ticketId);
  }

  async health(ticketId: string): Promise<WorkflowHealth> {
    this.check();
    const live = this.tickets.get(ticketId);
    if (!live) return 'missing';
    return live.state.archived ? 'completed' : 'running';
  }

  async restore(ticketId: string, carried: CarriedTicket): Promise<void> {
    this.check();
    const live: Live = { state: carried.state, log: [...carried.log], seen: new Set(carried.seen) };
    this.tickets.set(ticketId, live);
    await this.commit(live, advanceBefore(live.state, this.now()));
  }

  async readiness(): Promise<ReadinessCheck[]> {
    return [
      { name: 'temporal', ok: !this.down, detail: this.down ? 'unreachable (simulated)' : 'in process' },
    ];
  }

  /** Fires the timers whose minute is over on every ticket, as the workflows' timers would. */
  async tick(): Promise<void> {
    for (const live of this.tickets.values()) await this.commit(live, advanceBefore(live.state, this.now()));
  }

  async view(ticketId: string): Promise<TicketView> {
    this.check();
    const live = this.live(ticketId);
    return ticketView(live.state, live.log, this.now());
  }
}
