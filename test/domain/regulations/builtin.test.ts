import {
  calendarOf,
  currentRef,
  epgu,
  latestRegulation,
  primorye,
  resolveRegulation,
} from '../../../domain/regulations';

describe('seed 000 «Социальный процессинг» as code (id primorye)', () => {
  it('п. 2.1, 2.3.1.4: four request types', () => {
    expect(Object.keys(primorye.requestTypes).sort()).toEqual([
      'change',
      'incident',
      'information',
      'service',
    ]);
  });

  it('п. 2.2: channels e-mail and phone; п. 2.3.1.11: change requests by e-mail only', () => {
    expect(Object.keys(primorye.channels).sort()).toEqual(['email', 'phone']);
    expect(primorye.channelsByType.change).toEqual(['email']);
  });

  it('п. 2.2, 3.1.x: 09:00–18:00 МСК+7 (Asia/Vladivostok), no shortened pre-holiday days', () => {
    expect(primorye.workingHours).toEqual({
      timeZone: 'Asia/Vladivostok',
      workdayStart: '09:00',
      workdayEnd: '18:00',
      shortenPreHolidays: false,
    });
  });

  it('п. 2.4: registration within 4 hours, ID prefix «ID», statuses «Новая» and «В работе»', () => {
    expect(primorye.registrationDeadline).toEqual({ unit: 'calendarHours', value: 4 });
    expect(primorye.idPrefix).toBe('ID');
    expect(primorye.statuses.new!.label).toBe('Новая');
    expect(primorye.statuses.in_progress!.label).toBe('В работе');
  });

  it('п. 3.1.1–3.1.4: 24 / 60 / 16 working hours, change requests individually', () => {
    expect(primorye.resolutionTargets).toEqual({
      information: { unit: 'workingHours', value: 24 },
      incident: { unit: 'workingHours', value: 60 },
      service: { unit: 'workingHours', value: 16 },
      change: null,
    });
  });

  it('п. 3.5: five rejection reasons, no-response after 2 working days', () => {
    expect(Object.keys(primorye.rejectionReasons)).toHaveLength(5);
    expect(primorye.noResponseTimeout).toEqual({ unit: 'workingDays', value: 2, mode: 'sameTime' });
  });

  it('п. 2.3.1.1, 2.3.1.3: mandatory fields, position for change requests', () => {
    expect(primorye.requiredFields.all.map((f) => f.field)).toEqual([
      'initiator.fullName',
      'initiator.email',
      'initiator.organization',
      'description',
    ]);
    expect(primorye.requiredFields.byType.change!.map((f) => f.field)).toEqual(['initiator.position']);
  });

  it('п. 1: three support lines; п. 3.3.1: access requests go to the second line', () => {
    expect(primorye.lineOrder).toEqual(['first', 'second', 'third']);
    expect(primorye.accessLine).toBe('second');
  });
});

describe('seed 003 (СП РПГУ ↔ СП ЕПГУ) as code (id epgu)', () => {
  it('п. 3.2.4.2, 3.3.2.1: the six pieces of user data', () => {
    expect(epgu.userDataFields.map((f) => f.label)).toEqual([
      'ФИО',
      'СНИЛС',
      'ИНН',
      'дата рождения',
      'удобный способ связи для оповещения',
      'суть обращения пользователя',
    ]);
  });

  it('п. 3.2.7.2: 3 working days; п. 3.3.3.2: claims 7 working days; п. 3.3.9.2: 3 working hours', () => {
    expect(epgu.userInfoTimeout).toEqual({ unit: 'workingDays', value: 3, mode: 'sameTime' });
    expect(epgu.claimDeadline).toEqual({ unit: 'workingDays', value: 7, mode: 'sameTime' });
    expect(epgu.statusInquiryDeadline).toEqual({ unit: 'workingHours', value: 3 });
  });

  it('п. 3.2.7.1, 3.2.8: the two reasons of «В ожидании»', () => {
    expect(epgu.pendingReasons.user_info!.label).toBe('Запрошена информация (пользователь)');
    expect(epgu.pendingReasons.agency!.label).toBe('Отклонено на ведомство');
  });

  it('default zone Europe/Moscow, configurable', () => {
    expect(epgu.workingHours.timeZone).toBe('Europe/Moscow');
    const local = resolveRegulation(currentRef('epgu', { timeZone: 'Asia/Yekaterinburg' }));
    expect(local.workingHours.timeZone).toBe('Asia/Yekaterinburg');
    expect(calendarOf(local).timeZone).toBe('Asia/Yekaterinburg');
  });

  it('«3 (трех) дней» of п. 3.3.13 is working days by default and calendar days as a setting', () => {
    expect(epgu.confirmationPeriod).toEqual({ unit: 'workingDays', value: 3, mode: 'sameTime' });
    const calendar = resolveRegulation(currentRef('epgu', { confirmationDaysKind: 'calendar' }));
    expect(calendar.id === 'epgu' && calendar.confirmationPeriod).toEqual({ unit: 'calendarDays', value: 3 });
  });

  it('п. 3.4: no SLA by default, protocol targets as a setting', () => {
    expect(Object.values(epgu.resolutionTargets).every((t) => t === null)).toBe(true);
    const agreed = resolveRegulation(currentRef('epgu', { resolutionHours: { incident: 40 } }));
    expect(agreed.id === 'epgu' && agreed.resolutionTargets.incident).toEqual({
      unit: 'workingHours',
      value: 40,
    });
  });
});

describe('regulation registry', () => {
  it('resolves the latest version and refuses unknown ones', () => {
    expect(latestRegulation('primorye')).toBe(primorye);
    expect(() => resolveRegulation({ id: 'primorye', version: '1999-01-01' })).toThrow(/unknown regulation/);
  });

  it('refuses bad settings with the setting’s name', () => {
    expect(() => resolveRegulation(currentRef('epgu', { timeZone: 'Nowhere/Land' }))).toThrow(
      /Unknown time zone/,
    );
    expect(() => resolveRegulation(currentRef('primorye', { slaWarningFraction: 1.5 }))).toThrow(
      /slaWarningFraction/,
    );
    expect(() => resolveRegulation(currentRef('epgu', { resolutionHours: { bogus: 4 } }))).toThrow(
      /unknown ticket kind/,
    );
  });
});
