/**
 * Issue #20 «a regulation, and where it allows, an organisation, names its calendar and its working
 * schedule, also as data»: whole-installation admins set them (PUT /organizations/:id/calendar), a bad
 * schedule or a calendar not loaded is a problem+json, and a ticket opened for the organisation counts
 * on them — under seed 003, whose СП РПГУ works by its own requirements (п. 3.2.1.2, 3.3.1.2, 3.4),
 * but not under seed 000, whose one schedule is the Operator's (п. 2.2, 3.1).
 */
import { createApiKey } from '../../db/repositories/apiKeys';
import { organizations } from '../../db/schema';
import { phoneIncident, startApi, type Api } from './harness';

const KAZAN = 'org-kazan';
const OTHER = 'org-other';
const REGION = 'org-region';
const EIGHT_TO_FIVE = { workdayStart: '08:00', workdayEnd: '17:00', shortenPreHolidays: false };

describe('an organisation’s calendar and working schedule (issue #20)', () => {
  let api: Api;

  beforeAll(async () => {
    // п. 3.4: SLA agreed by protocol; 8 working hours for an incident in this test deployment.
    api = await startApi({
      regulationSettings: { primorye: {}, epgu: { resolutionHours: { incident: 8 } } },
    });
    await api.db.db.insert(organizations).values([
      { id: KAZAN, name: 'СП РПГУ Казань', domains: ['kazan.example'] },
      { id: OTHER, name: 'СП РПГУ другого региона', domains: ['other.example'] },
      { id: REGION, name: 'СП РПГУ республики', domains: ['region.example'] },
    ]);
  });

  afterAll(() => api.close());

  const put = (id: string, body: object, as = api.as('admin')) =>
    api.http().put(`/organizations/${id}/calendar`).set(as).send(body);

  it('only an admin of the whole installation sets them; bad input is a problem+json naming what is wrong', async () => {
    expect((await put(KAZAN, { calendar: null, schedule: EIGHT_TO_FIVE }, api.as('manager'))).status).toBe(
      403,
    );
    const scopedAdmin = (
      await createApiKey(api.db.db, { name: 'A admin', role: 'admin', organizationId: KAZAN })
    ).key;
    const scoped = await put(
      KAZAN,
      { calendar: null, schedule: EIGHT_TO_FIVE },
      { Authorization: `Bearer ${scopedAdmin}` },
    );
    expect(scoped.status).toBe(403);
    expect(scoped.body).toMatchObject({ code: 'organization_scope' });
    const byManager = await api
      .http()
      .post('/organizations')
      .set(api.as('manager'))
      .send({ name: 'Новая', schedule: EIGHT_TO_FIVE });
    expect(byManager.status).toBe(403);

    const reversed = await put(KAZAN, {
      calendar: null,
      schedule: { ...EIGHT_TO_FIVE, workdayStart: '18:00' },
    });
    expect(reversed.status).toBe(400);
    expect(reversed.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(reversed.body).toMatchObject({ code: 'invalid_schedule' });
    expect(reversed.body.detail).toContain('не меньше двух часов');
    const notTime = await put(KAZAN, { calendar: null, schedule: { ...EIGHT_TO_FIVE, workdayEnd: '25:70' } });
    expect(notTime.status).toBe(400);
    expect(notTime.body.detail).toContain('Конец рабочего дня «25:70» — не время ЧЧ:ММ');
    const unknown = await put(KAZAN, { calendar: 'ru-tatarstan', schedule: null });
    expect(unknown.status).toBe(422);
    expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(unknown.body).toMatchObject({ code: 'unknown_calendar' });

    const saved = await put(KAZAN, { calendar: null, schedule: EIGHT_TO_FIVE });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ id: KAZAN, calendar: null, schedule: EIGHT_TO_FIVE });
    expect(saved.body.schedulePolicies).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ regulation: 'primorye', allowed: false }),
        expect.objectContaining({ regulation: 'epgu', allowed: true }),
      ]),
    );
  });

  /** A seed 003 appeal of the organisation, forwarded and registered as an incident: its resolution deadline. */
  async function epguIncidentDue(organizationId: string): Promise<string> {
    const created = await api
      .http()
      .post('/tickets')
      .set(api.as('regional_operator'))
      .send({
        regulation: 'epgu',
        channel: 'phone',
        description: 'Не отправляется заявление через виджет',
        initiator: {
          fullName: 'Смирнов Алексей Викторович',
          snils: '112-233-445 95',
          inn: '500100732259',
          birthDate: '1985-04-12',
          contact: 'телефон',
          organizationId,
        },
      });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const forwarded = await api
      .http()
      .post(`/tickets/${id}/forward`)
      .set(api.as('regional_operator'))
      .send({ faqCheck: 'no_answer' });
    expect(forwarded.status).toBe(200);
    const registered = await api
      .http()
      .post(`/tickets/${id}/register`)
      .set(api.as('federal_operator'))
      .send({ requestType: 'incident' });
    expect(registered.status).toBe(200);
    const view = (await api.http().get(`/tickets/${id}`).set(api.as('manager'))).body;
    return view.deadlines.resolution as string;
  }

  it('an 08:00–17:00 schedule moves its own seed 003 tickets’ deadlines and no one else’s', async () => {
    await put(KAZAN, { calendar: null, schedule: EIGHT_TO_FIVE });
    api.setNow('2026-03-02T10:00:00+03:00'); // Monday
    // 8 working hours from Mon 10:00: 09–18 ends Mon 18:00; 08–17 has 7 left on Monday, then Tue 08–09.
    expect(await epguIncidentDue(OTHER)).toBe('2026-03-02T15:00:00.000Z');
    expect(await epguIncidentDue(KAZAN)).toBe('2026-03-03T06:00:00.000Z');
  });

  it('a regional calendar named by the organisation: its day off moves only its tickets', async () => {
    const content = JSON.stringify({ years: { 2026: { holidays: ['2026-03-02'] } } }); // test data
    const loaded = await api
      .http()
      .post('/calendars/import')
      .set(api.as('admin'))
      .send({ content, calendar: 'ru-tatarstan', decree: 'тестовый региональный день' });
    expect(loaded.status).toBe(200);
    expect((await put(REGION, { calendar: 'ru-tatarstan', schedule: null })).status).toBe(200);
    api.setNow('2026-03-02T10:00:00+03:00');
    // Monday is the region's day off: the 8 hours are Tuesday's 09–17.
    expect(await epguIncidentDue(REGION)).toBe('2026-03-03T14:00:00.000Z');
    expect(await epguIncidentDue(OTHER)).toBe('2026-03-02T15:00:00.000Z');
  });

  it('seed 000 п. 2.2, 3.1: one schedule, the Operator’s — an organisation’s own hours do not apply', async () => {
    await put(KAZAN, { calendar: null, schedule: EIGHT_TO_FIVE });
    api.setNow('2026-03-02T10:00:00+10:00');
    const due = async (organizationId?: string) => {
      const res = await api
        .http()
        .post('/tickets')
        .set(api.as('first_line'))
        .send({
          ...phoneIncident,
          initiator: { ...phoneIncident.initiator, ...(organizationId && { organizationId }) },
        });
      expect(res.status).toBe(201);
      return res.body.deadlines.resolution as string;
    };
    expect(await due(KAZAN)).toBe(await due());
  });
});
