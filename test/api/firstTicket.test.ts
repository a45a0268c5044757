/**
 * The start banner's first ticket (cli/firstTicket.ts) is what a new user pastes first: each
 * regulation's rules must accept it as printed.
 */
import { FIRST_TICKET } from '../../cli/firstTicket';
import { startApi, type Api } from './harness';

describe('the first ticket `npm start` offers', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(async () => {
    await api.close();
  });

  it.each(Object.entries(FIRST_TICKET))(
    '%s (seed 000 п. 2.3.1.9; seed 003 п. 3.3.2.1): registered with the admin key, 201',
    async (regulation, body) => {
      const res = await api
        .http()
        .post('/tickets')
        .set(api.as('admin'))
        .send({ regulation, ...body });
      expect({ status: res.status, detail: res.body.detail }).toEqual({ status: 201, detail: undefined });
      expect(res.body).toMatchObject({ id: expect.stringMatching(/^ID\d+$/), regulation: expect.anything() });
    },
  );
});
