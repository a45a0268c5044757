import {
  advanceTo,
  applyCommand,
  calendarOf,
  clockViews,
  currentRef,
  deadlines,
  nextDeadline,
  openTicket,
  resolveRegulation,
  type Actor,
  type Channel,
  type Command,
  type Intake,
  type OperatorCommand,
  type Refusal,
  type RegulationId,
  type RegulationSettings,
  type TicketEvent,
  type TicketState,
} from '../../../domain';

export const operator = (role = 'first_line'): Actor => ({
  kind: 'operator',
  id: `op-${role}`,
  name: `Оператор ${role}`,
  role,
});
export const initiator: Actor = { kind: 'initiator', name: 'Инициатор', email: 'initiator@example.ru' };
export const ivanov = { id: 'ivanov', name: 'Иванов И. И.', email: 'ivanov@dprim.ru' };

export const completeIntake: Intake = {
  subject: 'Не списываются баллы',
  description: 'При попытке воспользоваться сертификатом выходит ошибка «Недостаточно средств».',
  initiator: {
    fullName: 'Петров Петр Петрович',
    email: 'Email000@gmail.ru',
    position: 'Менеджер отдела продаж',
    organization: '«Бубль-Гум»',
  },
};

export const epguIntake: Intake = {
  description: 'Через виджет не отправляется заявление.',
  initiator: {
    fullName: 'Смирнов Алексей Викторович',
    snils: '112-233-445 95',
    inn: '500100732259',
    birthDate: '1985-04-12',
    contact: 'smirnov@example.ru',
  },
};

type OperatorArgs<T extends OperatorCommand['type']> = Omit<
  Extract<OperatorCommand, { type: T }>,
  'type' | 'by'
>;

/** A ticket driven through the pure runtime with a virtual clock, the way the workflow drives it. */
export class Ticket {
  state: TicketState;
  readonly log: TicketEvent[] = [];
  lastRefusal: Refusal | null = null;

  private constructor(opened: { state: TicketState; events: readonly TicketEvent[] }) {
    this.state = opened.state;
    this.log.push(...opened.events);
  }

  static open(
    regulation: RegulationId,
    receivedAt: string,
    options: {
      intake?: Intake;
      type?: string;
      channel?: Channel;
      settings?: RegulationSettings;
      id?: string;
      /** A published version other than the newest (running tickets keep theirs). */
      version?: string;
    } = {},
  ): Ticket {
    const ref = currentRef(regulation, options.settings);
    return new Ticket(
      openTicket({
        ticketId: options.id ?? 'ID1001',
        regulation: options.version ? { ...ref, version: options.version } : ref,
        channel: options.channel ?? 'email',
        receivedAt: new Date(receivedAt).toISOString(),
        intake: options.intake ?? (regulation === 'epgu' ? epguIntake : completeIntake),
        ...(options.type && { requestType: options.type }),
      }),
    );
  }

  get regulation() {
    return resolveRegulation(this.state.regulation);
  }

  /** Fires timers due up to `at`, then applies the command at `at`. */
  do<T extends OperatorCommand['type']>(at: string, type: T, args?: OperatorArgs<T>, by?: Actor): this {
    const t = Date.parse(at);
    this.advance(at);
    const actor = by ?? (type === 'reply' ? initiator : operator());
    const applied = applyCommand(this.state, { ...(args ?? {}), type, by: actor } as Command, t);
    this.state = applied.state;
    this.log.push(...applied.events);
    this.lastRefusal = applied.refusal;
    return this;
  }

  advance(until: string): this {
    const applied = advanceTo(this.state, Date.parse(until));
    this.state = applied.state;
    this.log.push(...applied.events);
    return this;
  }

  /** Local ISO (regulation zone) of a clock's deadline. */
  due(clock: string): string | null {
    const d = deadlines(this.state)[clock] ?? null;
    return d === null ? null : calendarOf(this.regulation).toLocalIso(Date.parse(d));
  }

  clock(name: string, now: string) {
    return clockViews(this.state, Date.parse(now)).find((c) => c.name === name);
  }

  next(): { at: string; clock: string; timer: string } | null {
    const n = nextDeadline(this.state);
    return (
      n && {
        at: calendarOf(this.regulation).toLocalIso(n.at),
        clock: n.command.clock,
        timer: n.command.timer,
      }
    );
  }

  events(type: TicketEvent['type']): TicketEvent[] {
    return this.log.filter((e) => e.type === type);
  }

  /** Local time of the first event of a type. */
  when(type: TicketEvent['type']): string | undefined {
    const e = this.log.find((x) => x.type === type);
    return e && calendarOf(this.regulation).toLocalIso(Date.parse(e.at));
  }
}
