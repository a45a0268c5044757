import { ensureSearchAttributes } from '../../worker/searchAttributes';

function fakeOperator(list: () => Promise<object>, add: (names: string[]) => Promise<void>) {
  return {
    operatorService: {
      listSearchAttributes: list,
      addSearchAttributes: async ({ searchAttributes }: { searchAttributes: Record<string, number> }) => {
        await add(Object.keys(searchAttributes));
        return {};
      },
    },
  } as never;
}

const grpc = (code: number) => Object.assign(new Error(`grpc ${code}`), { code });

describe('custom search attributes on whatever Temporal the project meets', () => {
  it('adds only the missing ones', async () => {
    const added = await ensureSearchAttributes(
      fakeOperator(
        async () => ({
          customAttributes: { TicketType: 2, TicketStatus: 2 },
          systemAttributes: { WorkflowId: 2 },
        }),
        async () => undefined,
      ),
      'default',
    );
    expect(added).toEqual(['SupportLine', 'Organization', 'Regulation', 'SlaDueAt', 'SlaBreached']);
  });

  it('a server that cannot list them (time-skipping test server) gets all; existing ones are fine', async () => {
    const added = await ensureSearchAttributes(
      fakeOperator(
        async () => {
          throw grpc(12);
        },
        async (names) => {
          if (names[0] === 'TicketType') throw grpc(6);
        },
      ),
      'default',
    );
    expect(added).toEqual([
      'TicketStatus',
      'SupportLine',
      'Organization',
      'Regulation',
      'SlaDueAt',
      'SlaBreached',
    ]);
  });

  it('other errors are not swallowed', async () => {
    await expect(
      ensureSearchAttributes(
        fakeOperator(
          async () => Promise.reject(grpc(14)),
          async () => undefined,
        ),
        'default',
      ),
    ).rejects.toThrow('grpc 14');
  });
});
