/**
 * Issue #21 (a lean worker): the workflow modules are loaded once into the worker's shared V8 context
 * (worker/workflowBundle.ts), so every cached ticket runs the same module instances. Two tickets
 * handled at the same time by one worker must still never see each other's state: each keeps its
 * own state, log and seen command ids, whatever order their Updates arrive in.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Actor, TicketState } from '../../domain';
import { ticketWorkflow } from '../../workflows';
import { executeUpdate, ticketQuery, type UpdateCommand } from '../../workflows/messages';
import { createEnvironment, createWorker, describeWithTemporal, recordingActivities } from './support';

const operator: Actor = { kind: 'operator', id: 'op1', name: 'Оператор', role: 'first_line' };

const ticket = (id: string, initiator: string) => ({
  ticketId: id,
  regulation: { id: 'primorye' as const, version: '2023-04-20' },
  channel: 'phone' as const,
  receivedAt: new Date().toISOString(),
  requestType: 'information',
  intake: {
    description: `Вопрос от ${initiator}`,
    initiator: { fullName: initiator, email: `${id.toLowerCase()}@example.ru`, organization: 'О' },
  },
});

describeWithTemporal('tickets sharing one worker context (issue #21)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await createEnvironment();
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('two tickets run at once in one worker: each sees only its own state, log and command ids', async () => {
    const rec = recordingActivities();
    const recorded: TicketState[] = [];
    const recordTicket = rec.activities.recordTicket;
    rec.activities.recordTicket = async (input) => {
      recorded.push(input.state);
      return recordTicket(input);
    };
    const { worker, taskQueue } = await createWorker(env, rec.activities);
    await worker.runUntil(async () => {
      const stamp = Date.now();
      const tickets = [
        { id: `ID-ISO-A-${stamp}`, initiator: 'Андреев А. А.', assignee: 'andreev' },
        { id: `ID-ISO-B-${stamp}`, initiator: 'Борисов Б. Б.', assignee: 'borisov' },
      ];
      const handles = await Promise.all(
        tickets.map((t) =>
          env.client.workflow.start(ticketWorkflow, {
            workflowId: t.id,
            taskQueue,
            args: [
              {
                open: ticket(t.id, t.initiator),
                initialCommands: [{ type: 'register', by: operator, commandId: 'register' }],
              },
            ],
          }),
        ),
      );
      // The same command ids on both tickets, interleaved: a shared `seen` would answer the second
      // ticket's commands as duplicates, a shared state would mix assignees and comments.
      const commands = (k: number): UpdateCommand[] => [
        {
          type: 'assign',
          by: operator,
          assignee: { id: tickets[k]!.assignee, name: tickets[k]!.initiator },
          commandId: 'assign',
        },
        ...[1, 2, 3].map((n): UpdateCommand => ({
          type: 'comment',
          by: operator,
          text: `${tickets[k]!.id}: заметка ${n}`,
          commandId: `comment-${n}`,
        })),
      ];
      for (let step = 0; step < 4; step++) {
        const outcomes = await Promise.all(
          handles.map((h, k) => h.executeUpdate(executeUpdate, { args: [commands(k)[step]!] })),
        );
        outcomes.forEach((outcome, k) => {
          expect(outcome.duplicate).toBe(false);
          expect(outcome.state.id).toBe(tickets[k]!.id);
        });
      }
      for (const [k, h] of handles.entries()) {
        const view = await h.query(ticketQuery);
        const own = tickets[k]!;
        expect(view.id).toBe(own.id);
        expect(view.assignee?.id).toBe(own.assignee);
        expect(view.intake.initiator.fullName).toBe(own.initiator);
        const comments = view.log
          .filter((e) => e.type === 'commented')
          .map((e) => (e as { text: string }).text);
        expect(comments).toEqual([1, 2, 3].map((n) => `${own.id}: заметка ${n}`));
      }
      // What reached the read model: every snapshot of a ticket carries only that ticket's people.
      for (const state of recorded) {
        const own = tickets.find((t) => t.id === state.id)!;
        expect(state.intake.initiator.fullName).toBe(own.initiator);
        if (state.assignee) expect(state.assignee.id).toBe(own.assignee);
      }
    });
  });
});
