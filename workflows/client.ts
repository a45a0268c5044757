/**
 * How the API, the mail dispatcher, the reconciler and the CLI reach tickets: one small interface,
 * implemented with the Temporal client. Not workflow code (never imported by workflows/index.ts, so
 * never bundled). Every call has a short deadline: a person waiting for an answer gets one.
 */
import {
  defaultGrpcRetryOptions,
  isGrpcServiceError,
  makeGrpcRetryInterceptor,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
  type ConnectionOptions,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { OpenTicketInput, Refusal, TicketView } from '../domain';
import {
  calendarSignal,
  COMMAND_REFUSED,
  commandSignals,
  executeUpdate,
  ticketQuery,
  type CarriedTicket,
  type CommandOutcome,
  type QueuedCommand,
  type TicketWorkflowInput,
  type UpdateCommand,
} from './messages';
import type { ticketWorkflow } from './ticket';

export type OpenInput = TicketWorkflowInput & { readonly open: OpenTicketInput };

/** The rules refused the command on the ticket's real state. */
export class CommandRefusedError extends Error {
  override readonly name = 'CommandRefusedError';
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

/** The ticket's workflow does not exist (a lost namespace) or ended abnormally. */
export class WorkflowMissingError extends Error {
  override readonly name = 'WorkflowMissingError';
  constructor(
    readonly ticketId: string,
    readonly reason: string,
  ) {
    super(`the workflow of ticket ${ticketId} is ${reason}`);
  }
}

/** Temporal did not answer in time or cannot be reached: try again later. */
export class TemporalUnavailableError extends Error {
  override readonly name = 'TemporalUnavailableError';
}

/** How a ticket's workflow is, for the reconciler. */
export type WorkflowHealth = 'running' | 'completed' | 'missing' | 'failed';

/** One named check of /readyz. */
export interface ReadinessCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface TicketGateway {
  /** Starts a ticket's workflow; the same ticket ID never starts twice. */
  open(input: OpenInput): Promise<'started' | 'exists'>;
  /** An operator command as an Update: the real result, or CommandRefusedError with the refusal. */
  execute(ticketId: string, command: UpdateCommand): Promise<CommandOutcome>;
  /** Delivers a command by workflow ID (so it reaches the newest run); `commandId` makes it idempotent. */
  send(ticketId: string, command: QueuedCommand): Promise<void>;
  /** The live state from the workflow itself. */
  view(ticketId: string): Promise<TicketView>;
  /** Whether the ticket's workflow runs. */
  health(ticketId: string): Promise<WorkflowHealth>;
  /** Starts the workflow of a ticket whose workflow is missing, from its stored state. */
  restore(ticketId: string, carried: CarriedTicket): Promise<void>;
  /** What a request needs from Temporal, each part by name. */
  readiness(): Promise<ReadinessCheck[]>;
}

export interface TemporalGatewayOptions {
  readonly taskQueue: string;
  readonly namespace: string;
  /** Deadline of every call made for a waiting person (default 5 s). */
  readonly timeoutMs?: number;
  /** Search attributes the workflow upserts: readiness checks that the namespace knows them. */
  readonly searchAttributeNames?: readonly string[];
}

const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNIMPLEMENTED = 12;
const GRPC_CANCELLED = 1;

/** The gRPC status code of an error or of its cause. */
function grpcCode(e: unknown): number | undefined {
  const cause = (e as { cause?: unknown } | null)?.cause ?? e;
  if (isGrpcServiceError(cause)) return cause.code;
  const code = (cause as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Connection trouble and deadlines become TemporalUnavailableError; everything else is kept. */
function unavailable(e: unknown): TemporalUnavailableError | null {
  if (e instanceof TemporalUnavailableError) return e;
  if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError)
    return new TemporalUnavailableError('Temporal did not answer in time');
  const code = grpcCode(e);
  if (code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED || code === GRPC_CANCELLED)
    return new TemporalUnavailableError(`Temporal is unavailable (${(e as Error).message.split('\n')[0]})`);
  if ((e as Error).name === 'AbortError' || (e as Error).name === 'TimeoutError')
    return new TemporalUnavailableError('Temporal did not answer in time');
  return null;
}

/**
 * Connection options for calls made while a person waits: a few quick retries of a transient fault
 * (the SDK's default keeps retrying an unreachable server for about 20 seconds), then the gateway's
 * deadline answers 503.
 */
export function requestConnectionOptions(address: string): ConnectionOptions {
  return {
    address,
    connectTimeout: 10_000,
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 4 }))],
  };
}

export class TemporalGateway implements TicketGateway {
  private readonly timeoutMs: number;

  constructor(
    private readonly client: Client,
    private readonly options: TemporalGatewayOptions,
  ) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  /**
   * Runs a call under the deadline; Temporal's absence becomes TemporalUnavailableError. The SDK
   * retries an unreachable server for about 20 seconds: the deadline answers first, and aborts it.
   */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new TemporalUnavailableError(`Temporal did not answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
    });
    const work = this.client.withAbortSignal(controller.signal, fn);
    work.catch(() => undefined); // after the deadline its failure is of no interest
    try {
      return await Promise.race([work, deadline]);
    } catch (e) {
      throw unavailable(e) ?? e;
    } finally {
      clearTimeout(timer);
    }
  }

  async open(input: OpenInput): Promise<'started' | 'exists'> {
    try {
      await this.call(() =>
        this.client.workflow.start<typeof ticketWorkflow>('ticketWorkflow', {
          workflowId: input.open.ticketId,
          taskQueue: this.options.taskQueue,
          args: [input],
        }),
      );
      return 'started';
    } catch (e) {
      if (e instanceof WorkflowExecutionAlreadyStartedError) return 'exists';
      throw e;
    }
  }

  async execute(ticketId: string, command: UpdateCommand): Promise<CommandOutcome> {
    try {
      return await this.call(() =>
        this.client.workflow
          .getHandle(ticketId)
          .executeUpdate(executeUpdate, { args: [command], updateId: command.commandId }),
      );
    } catch (e) {
      if (e instanceof WorkflowUpdateFailedError) {
        const failure = e.cause;
        if (failure instanceof ApplicationFailure && failure.type === COMMAND_REFUSED) {
          const refusal = failure.details?.[0] as Refusal | undefined;
          throw new CommandRefusedError(
            refusal ?? { code: 'refused', message: failure.message, detail: failure.message },
          );
        }
      }
      if (e instanceof WorkflowNotFoundError) throw new WorkflowMissingError(ticketId, 'not found');
      throw e;
    }
  }

  async send(ticketId: string, command: QueuedCommand): Promise<void> {
    const { type, ...payload } = command;
    if (type === 'timer') throw new Error('timer commands come from the workflow itself');
    const signal = type === 'calendar' ? calendarSignal : commandSignals[type];
    try {
      await this.call(() =>
        this.client.workflow.getHandle(ticketId).signal(signal as never, payload as never),
      );
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) throw new WorkflowMissingError(ticketId, 'not found');
      throw e;
    }
  }

  view(ticketId: string): Promise<TicketView> {
    return this.call(() => this.client.workflow.getHandle(ticketId).query(ticketQuery));
  }

  async health(ticketId: string): Promise<WorkflowHealth> {
    try {
      const description = await this.call(() => this.client.workflow.getHandle(ticketId).describe());
      switch (description.status.name) {
        case 'RUNNING':
          return 'running';
        case 'COMPLETED':
          return 'completed';
        case 'CONTINUED_AS_NEW':
          return 'running';
        default:
          return 'failed';
      }
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) return 'missing';
      throw e;
    }
  }

  async restore(ticketId: string, carried: CarriedTicket): Promise<void> {
    await this.call(() =>
      this.client.workflow.start<typeof ticketWorkflow>('ticketWorkflow', {
        workflowId: ticketId,
        taskQueue: this.options.taskQueue,
        args: [{ carried }],
      }),
    );
  }

  async readiness(): Promise<ReadinessCheck[]> {
    const namespace = this.options.namespace;
    const service = this.client.workflowService;
    const check = async (name: string, probe: () => Promise<string>): Promise<ReadinessCheck> => {
      try {
        return { name, ok: true, detail: await this.call(probe) };
      } catch (e) {
        return { name, ok: false, detail: (e as Error).message.split('\n')[0]!.slice(0, 200) };
      }
    };
    const notImplemented = (e: unknown): boolean => grpcCode(e) === GRPC_UNIMPLEMENTED;
    return Promise.all([
      check('temporal', async () => {
        await service.describeNamespace({ namespace });
        return `namespace ${namespace}`;
      }),
      check('searchAttributes', async () => {
        const wanted = this.options.searchAttributeNames ?? [];
        try {
          const known = await this.client.connection.operatorService.listSearchAttributes({ namespace });
          const missing = wanted.filter((n) => !(n in (known.customAttributes ?? {})));
          if (missing.length) throw new Error(`missing on namespace ${namespace}: ${missing.join(', ')}`);
          return `${wanted.length} registered`;
        } catch (e) {
          // The time-skipping test server cannot list them; registration at start is then the check.
          if (notImplemented(e)) return 'cannot be listed on this server (registered at start)';
          throw e;
        }
      }),
      check('worker', async () => {
        try {
          const queue = await service.describeTaskQueue({
            namespace,
            taskQueue: { name: this.options.taskQueue },
            taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
          });
          const pollers = queue.pollers?.length ?? 0;
          if (!pollers) throw new Error(`no worker polls task queue ${this.options.taskQueue}`);
          return `${pollers} poller(s) on ${this.options.taskQueue}`;
        } catch (e) {
          if (notImplemented(e)) return 'cannot be described on this server';
          throw e;
        }
      }),
    ]);
  }
}
