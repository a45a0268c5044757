/**
 * Test double for the Temporal gateway, for channel and API tests where no Temporal server can be
 * obtained: it runs what the workflow runs (the domain's runtime, then the real persistence and mail
 * activities against PostgreSQL), in process, with a controllable clock. Production always goes
 * through Temporal (workflows/client.ts); the workflow suites cover that path where a server exists.
 */
import type { TicketActivities } from '../../activities';
import {
  advanceBefore,
  notificationsFor,
  openTicket,
  receive,
  ticketView,
  type Applied,
  type TicketEvent,
  type TicketState,
  type TicketView,
} from '../../domain';
import type { OpenInput, TicketGateway } from '../../workflows/client';
import type { QueuedCommand } from '../../workflows/messages';

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
    for (const e of applied.events)
      for (const mail of notificationsFor(e, live.state)) await this.activities.sendMail(mail);
  }

  private check(): void {
    if (this.down) throw new Error('14 UNAVAILABLE: Temporal is unreachable (simulated)');
  }

  async open(input: OpenInput): Promise<'started' | 'exists'> {
    this.check();
    await this.beforeCall('open', input.open.ticketId);
    if (this.tickets.has(input.open.ticketId)) return 'exists';
    const opened = openTicket(input.open);
    const live: Live = { state: opened.state, log: [], seen: new Set() };
    this.tickets.set(input.open.ticketId, live);
    this.opened.push(input.open.ticketId);
    await this.commit(live, opened);
    for (const command of input.initialCommands ?? []) await this.apply(live, command);
    return 'started';
  }

  async send(ticketId: string, command: QueuedCommand): Promise<void> {
    this.check();
    await this.beforeCall('send', ticketId);
    const live = this.tickets.get(ticketId);
    if (!live) throw new Error(`workflow not found: ${ticketId}`);
    this.delivered.push({ ticketId, command });
    await this.apply(live, command);
  }

  private async apply(live: Live, command: QueuedCommand): Promise<void> {
    if (command.commandId && live.seen.has(command.commandId)) {
      await this.commit(live, advanceBefore(live.state, this.now()));
      return;
    }
    if (command.commandId) live.seen.add(command.commandId);
    // Timers of earlier minutes first, then the command; its own minute's timers after it (seed 000 п. 3.5).
    await this.commit(live, receive(live.state, command, this.now()));
  }

  /** Fires the timers whose minute is over on every ticket, as the workflows' timers would. */
  async tick(): Promise<void> {
    for (const live of this.tickets.values()) await this.commit(live, advanceBefore(live.state, this.now()));
  }

  async view(ticketId: string): Promise<TicketView> {
    this.check();
    const live = this.tickets.get(ticketId);
    if (!live) throw new Error(`workflow not found: ${ticketId}`);
    return ticketView(live.state, live.log, this.now());
  }

  async ready(): Promise<void> {
    this.check();
  }
}
