/**
 * POST /tickets/check, the live check of the console's phone registration form: it asks the domain
 * (the regulation module's registration fields and a dry run of `register`), so what the form says is
 * missing is exactly what POST /tickets refuses, clause included.
 */
import { phoneIncident, startApi, type Api } from '../api/harness';

let api: Api;

beforeAll(async () => {
  api = await startApi();
  await api.http().post('/organizations/bubble/persons').set(api.as('manager')).send({
    fullName: 'Директоров Дмитрий Олегович',
    email: 'director@bubblegum.ru',
    position: 'Директор',
  });
});

afterAll(async () => {
  await api?.close();
});

interface Check {
  ok: boolean;
  required: { field: string; label: string; clause: string }[];
  missing: { field: string; message: string }[];
  invalid: { field: string; message: string }[];
  refusal: { code: string; message: string } | null;
}

async function check(body: Record<string, unknown>): Promise<Check> {
  const res = await api.http().post('/tickets/check').set(api.as('first_line')).send(body);
  expect(res.status).toBe(200);
  return res.body as Check;
}

const { expectedResult, actualResult, ...incidentWithoutResults } = phoneIncident;

const accessRequest = {
  requestType: 'service',
  channel: 'phone',
  subject: 'Доступ к Модулю для кассира',
  description: 'Прошу выдать доступ к Модулю новому кассиру.',
  expectedResult: 'Кассир входит в Модуль.',
  initiator: {
    fullName: 'Директоров Дмитрий Олегович',
    email: 'director@bubblegum.ru',
    organization: '«Бубль-Гум»',
  },
  access: { kind: 'grant', targetUser: 'Кассирова Анна Петровна' },
};

test('п. 2.3.1.9: a phone incident without its actual and expected result — both missing, each with its clause', async () => {
  const result = await check(incidentWithoutResults);
  expect(result.ok).toBe(false);
  expect(result.refusal).toBeNull();
  expect(result.missing.map((m) => m.field)).toEqual(['actualResult', 'expectedResult']);
  for (const m of result.missing) expect(m.message).toMatch(/^обязательное поле: .+ \(п\. 2\.3\.1\.9\)$/);
  expect(result.required.map((f) => f.field)).toEqual(
    expect.arrayContaining(['initiator.fullName', 'description', 'actualResult', 'expectedResult']),
  );
  expect(await check({ ...incidentWithoutResults, expectedResult, actualResult })).toMatchObject({
    ok: true,
    missing: [],
  });
});

test('п. 2.3.1.12: a phone service request needs its expected result, not an actual one; by e-mail the text is the operator’s judgement', async () => {
  const service = { ...incidentWithoutResults, requestType: 'service' };
  const byPhone = await check(service);
  expect(byPhone.missing).toEqual([
    { field: 'expectedResult', message: expect.stringContaining('(п. 2.3.1.12)') },
  ]);
  const byMail = await check({ ...service, channel: 'email' });
  expect(byMail.required.map((f) => f.field)).not.toContain('expectedResult');
  expect(byMail.ok).toBe(true);
});

test('п. 2.3.1.4, 2.3.1.11: no type yet is a missing field; a change request by phone is the regulation’s refusal', async () => {
  const untyped = await check({ ...phoneIncident, requestType: undefined });
  expect(untyped.missing[0]).toEqual({
    field: 'requestType',
    message: expect.stringContaining('п. 2.3.1.4'),
  });
  expect(untyped.refusal).toBeNull();
  const change = await check({ ...phoneIncident, requestType: 'change' });
  expect(change.refusal).toEqual({
    code: 'channel_not_allowed',
    message: expect.stringContaining('п. 2.3.1.11'),
  });
});

test('п. 3.3.1 (1), 3.3.2: an access request by phone — only from an authorised person on file, with how the caller was authenticated', async () => {
  const stranger = await check({
    ...accessRequest,
    initiator: { ...accessRequest.initiator, email: 'cashier@bubblegum.ru' },
  });
  expect(stranger.refusal?.code).toBe('not_authorized');
  const unrecorded = await check(accessRequest);
  expect(unrecorded.refusal).toEqual({
    code: 'authentication_not_recorded',
    message: expect.stringContaining('п. 3.3.1 (1)'),
  });
  const recorded = await check({
    ...accessRequest,
    authentication: { method: 'Обратный звонок на номер из реестра уполномоченных лиц' },
  });
  expect(recorded).toMatchObject({ ok: true, refusal: null, missing: [] });
});

test('the check and the registration agree: what the check passes POST /tickets registers, what it refuses POST /tickets refuses with the same reason', async () => {
  const drafts: Record<string, unknown>[] = [
    phoneIncident,
    incidentWithoutResults,
    { ...incidentWithoutResults, actualResult },
    { ...phoneIncident, requestType: 'service' },
    { ...incidentWithoutResults, requestType: 'service', expectedResult },
    { ...phoneIncident, requestType: 'information' },
    { ...phoneIncident, initiator: { ...phoneIncident.initiator, fullName: undefined } },
    accessRequest,
    { ...accessRequest, authentication: { method: 'Обратный звонок' } },
  ];
  for (const draft of drafts) {
    const result = await check(draft);
    const created = await api.http().post('/tickets').set(api.as('first_line')).send(draft);
    expect({ draft, status: created.status }).toEqual({ draft, status: result.ok ? 201 : 422 });
    if (!result.ok) {
      const reasons = [...result.missing, ...(result.refusal ? [result.refusal] : [])];
      // The registration names the same clause the form showed.
      const clauses = reasons.flatMap((r) => r.message.match(/п\. [\d.]+( \(\d\))?/g) ?? []);
      expect(clauses.length).toBeGreaterThan(0);
      for (const clause of clauses) expect(created.body.detail).toContain(clause);
    }
  }
});

test('seed 003: an appeal is fixed without registration requirements; wrong values are still named', async () => {
  const appeal = await check({
    regulation: 'epgu',
    channel: 'phone',
    description: 'Не отображается заявление в личном кабинете',
    initiator: { fullName: 'Сидоров Семён Семёнович', snils: '112-233-445 96' },
  });
  expect(appeal.required).toEqual([]);
  expect(appeal.missing).toEqual([]);
  expect(appeal.invalid).toEqual([
    { field: 'initiator.snils', message: expect.stringContaining('контрольного числа') },
  ]);
  expect(appeal.ok).toBe(false);
});
