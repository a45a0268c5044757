/**
 * Writes Temporal workflow histories by hand, in the JSON form `temporal workflow show --output json`
 * and `historyToJSON` produce. Used to synthesize replay fixtures where no server can record them
 * (scripts/synthesize-histories.ts); recorded ones come from scripts/record-histories.ts.
 */
type Json = Record<string, unknown>;

const encode = (value: unknown): Json => ({
  metadata: { encoding: Buffer.from('json/plain').toString('base64') },
  data: Buffer.from(JSON.stringify(value)).toString('base64'),
});

export type Command =
  | { readonly kind: 'activity'; readonly type: string; readonly input: unknown }
  | { readonly kind: 'timer'; readonly ms: number }
  | { readonly kind: 'cancelTimer'; readonly timerId: number }
  | { readonly kind: 'upsert'; readonly attributes: Record<string, unknown> }
  | { readonly kind: 'complete'; readonly result: unknown }
  | { readonly kind: 'continueAsNew'; readonly input: unknown };

export class HistoryBuilder {
  private readonly events: Json[] = [];
  private activitySeq = 0;
  private timerSeq = 0;
  private readonly activityEvent = new Map<number, number>();
  private readonly timerEvent = new Map<number, number>();

  constructor(
    private readonly workflowType: string,
    private readonly taskQueue: string,
  ) {}

  private add(at: number, type: string, key: string, attributes: Json): number {
    const eventId = this.events.length + 1;
    this.events.push({
      eventId: String(eventId),
      eventTime: new Date(at).toISOString(),
      eventType: `EVENT_TYPE_${type}`,
      [key]: attributes,
    });
    return eventId;
  }

  started(at: number, input: unknown): this {
    this.add(at, 'WORKFLOW_EXECUTION_STARTED', 'workflowExecutionStartedEventAttributes', {
      workflowType: { name: this.workflowType },
      taskQueue: { name: this.taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
      input: { payloads: [encode(input)] },
      workflowTaskTimeout: '10s',
      originalExecutionRunId: 'synthetic-run',
      firstExecutionRunId: 'synthetic-run',
      attempt: 1,
      identity: 'synthetic',
    });
    return this;
  }

  /** A workflow task at `at` that issued exactly these commands, in order. */
  task(at: number, commands: readonly Command[]): this {
    const scheduled = this.add(at, 'WORKFLOW_TASK_SCHEDULED', 'workflowTaskScheduledEventAttributes', {
      taskQueue: { name: this.taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
      startToCloseTimeout: '10s',
      attempt: 1,
    });
    const started = this.add(at, 'WORKFLOW_TASK_STARTED', 'workflowTaskStartedEventAttributes', {
      scheduledEventId: String(scheduled),
      identity: 'synthetic',
    });
    const completed = this.add(at, 'WORKFLOW_TASK_COMPLETED', 'workflowTaskCompletedEventAttributes', {
      scheduledEventId: String(scheduled),
      startedEventId: String(started),
      identity: 'synthetic',
    });
    for (const c of commands) {
      const wft = String(completed);
      switch (c.kind) {
        case 'activity': {
          const id = ++this.activitySeq;
          this.activityEvent.set(
            id,
            this.add(at, 'ACTIVITY_TASK_SCHEDULED', 'activityTaskScheduledEventAttributes', {
              activityId: String(id),
              activityType: { name: c.type },
              taskQueue: { name: this.taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
              input: { payloads: [encode(c.input)] },
              startToCloseTimeout: '30s',
              workflowTaskCompletedEventId: wft,
            }),
          );
          break;
        }
        case 'timer': {
          const id = ++this.timerSeq;
          this.timerEvent.set(
            id,
            this.add(at, 'TIMER_STARTED', 'timerStartedEventAttributes', {
              timerId: String(id),
              startToFireTimeout: `${Math.max(1, Math.round(c.ms / 1000))}s`,
              workflowTaskCompletedEventId: wft,
            }),
          );
          break;
        }
        case 'cancelTimer':
          this.add(at, 'TIMER_CANCELED', 'timerCanceledEventAttributes', {
            timerId: String(c.timerId),
            startedEventId: String(this.timerEvent.get(c.timerId)),
            workflowTaskCompletedEventId: wft,
            identity: 'synthetic',
          });
          break;
        case 'upsert':
          this.add(at, 'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES', 'upsertWorkflowSearchAttributesEventAttributes', {
            workflowTaskCompletedEventId: wft,
            searchAttributes: {
              indexedFields: Object.fromEntries(Object.entries(c.attributes).map(([k, v]) => [k, encode(v)])),
            },
          });
          break;
        case 'complete':
          this.add(at, 'WORKFLOW_EXECUTION_COMPLETED', 'workflowExecutionCompletedEventAttributes', {
            result: { payloads: [encode(c.result)] },
            workflowTaskCompletedEventId: wft,
          });
          break;
        case 'continueAsNew':
          this.add(
            at,
            'WORKFLOW_EXECUTION_CONTINUED_AS_NEW',
            'workflowExecutionContinuedAsNewEventAttributes',
            {
              newExecutionRunId: 'synthetic-run-2',
              workflowType: { name: this.workflowType },
              taskQueue: { name: this.taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
              input: { payloads: [encode(c.input)] },
              workflowTaskCompletedEventId: wft,
            },
          );
          break;
      }
    }
    return this;
  }

  activityCompleted(at: number, activityId: number, result: unknown): this {
    const scheduled = this.activityEvent.get(activityId);
    if (!scheduled) throw new Error(`activity ${activityId} was not scheduled`);
    const started = this.add(at, 'ACTIVITY_TASK_STARTED', 'activityTaskStartedEventAttributes', {
      scheduledEventId: String(scheduled),
      attempt: 1,
      identity: 'synthetic',
    });
    this.add(at, 'ACTIVITY_TASK_COMPLETED', 'activityTaskCompletedEventAttributes', {
      ...(result === undefined ? {} : { result: { payloads: [encode(result)] } }),
      scheduledEventId: String(scheduled),
      startedEventId: String(started),
      identity: 'synthetic',
    });
    return this;
  }

  timerFired(at: number, timerId: number): this {
    this.add(at, 'TIMER_FIRED', 'timerFiredEventAttributes', {
      timerId: String(timerId),
      startedEventId: String(this.timerEvent.get(timerId)),
    });
    return this;
  }

  signaled(at: number, name: string, payload: unknown): this {
    this.add(at, 'WORKFLOW_EXECUTION_SIGNALED', 'workflowExecutionSignaledEventAttributes', {
      signalName: name,
      input: { payloads: [encode(payload)] },
      identity: 'synthetic',
    });
    return this;
  }

  get lastActivity(): number {
    return this.activitySeq;
  }

  get lastTimer(): number {
    return this.timerSeq;
  }

  toJSON(): { events: Json[] } {
    return { events: this.events };
  }
}
