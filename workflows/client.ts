/**
 * How the API, the mail dispatcher and the CLI reach tickets: one small interface, implemented with
 * the Temporal client. Not workflow code (never imported by workflows/index.ts, so never bundled).
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { OpenTicketInput, TicketView } from '../domain';
import { commandSignals, ticketQuery, type QueuedCommand, type TicketWorkflowInput } from './messages';
import type { ticketWorkflow } from './ticket';

export type OpenInput = TicketWorkflowInput & { readonly open: OpenTicketInput };

export interface TicketGateway {
  /** Starts a ticket's workflow; the same ticket ID never starts twice. */
  open(input: OpenInput): Promise<'started' | 'exists'>;
  /** Delivers a command by workflow ID (so it reaches the newest run); `commandId` makes it idempotent. */
  send(ticketId: string, command: QueuedCommand): Promise<void>;
  /** The live state from the workflow itself. */
  view(ticketId: string): Promise<TicketView>;
  /** Throws when Temporal cannot be reached. */
  ready(): Promise<void>;
}

export class TemporalGateway implements TicketGateway {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
  ) {}

  async open(input: OpenInput): Promise<'started' | 'exists'> {
    try {
      await this.client.workflow.start<typeof ticketWorkflow>('ticketWorkflow', {
        workflowId: input.open.ticketId,
        taskQueue: this.taskQueue,
        args: [input],
      });
      return 'started';
    } catch (e) {
      if (e instanceof WorkflowExecutionAlreadyStartedError) return 'exists';
      throw e;
    }
  }

  async send(ticketId: string, command: QueuedCommand): Promise<void> {
    const { type, ...payload } = command;
    if (type === 'timer') throw new Error('timer commands come from the workflow itself');
    await this.client.workflow.getHandle(ticketId).signal(commandSignals[type] as never, payload as never);
  }

  view(ticketId: string): Promise<TicketView> {
    return this.client.workflow.getHandle(ticketId).query(ticketQuery);
  }

  async ready(): Promise<void> {
    await this.client.workflowService.getSystemInfo({});
  }
}
