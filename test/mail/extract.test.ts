import { missingFields, primorye } from '../../domain';
import { extractIntake } from '../../mail/extract';
import type { InboundMessage } from '../../mail/parse';

const message = (text: string, over: Partial<InboundMessage> = {}): InboundMessage => ({
  messageId: '<m1@example.ru>',
  fromAddress: 'Email@gmail.ru',
  fromName: null,
  to: ['help@dprim.ru'],
  subject: '',
  text,
  date: null,
  referenced: [],
  headers: {},
  attachments: [],
  deliveryReport: null,
  ...over,
});

const required = (type: string) => [
  ...primorye.requiredFields.all,
  ...(primorye.requiredFields.byType[type] ?? []),
];

describe('intake fields from free text (seed 000, the examples in the table after п. 3.5)', () => {
  it('«Запрос на информирование»: request, ФИО, e-mail, position, organisation, mandatory ones marked «*»', () => {
    const { intake } = extractIntake(
      message(
        [
          'Прошу уточнить, почему не удаётся оплатить покупку по сертификату с помощью телефона? При прикладывании телефона к терминалу ДС не списываются.*',
          '',
          'ФИО: Тестов Тест Тестович*',
          'Email@gmail.ru*',
          'Руководитель отдела маркетинга',
          '«Бубль-Гум»*',
        ].join('\n'),
      ),
      'primorye',
    );
    expect(intake.initiator).toEqual({
      fullName: 'Тестов Тест Тестович',
      email: 'Email@gmail.ru',
      position: 'Руководитель отдела маркетинга',
      organization: '«Бубль-Гум»',
    });
    expect(intake.description).toMatch(/^Прошу уточнить/);
    expect(missingFields(intake, required('information'))).toEqual([]);
  });

  it('«Запрос на решение инцидента»: the client’s ФИО and phone are not the initiator’s', () => {
    const { intake, requestType } = extractIntake(
      message(
        [
          'При попытке воспользоваться сертификатом при оплате покупки в интернет-магазине выходит ошибка «Недостаточно средств».*',
          'ФИО клиента: Иванова Иванна Ивановна',
          'Контактный номер клиента: 8 900 123 00 00',
          'Последние 4 цифры карты: 0001',
          '',
          'ФИО инициатора: Петров Петр Петрович*',
          'Email000@gmail.ru*',
          'Менеджер отдела продаж*',
          '«Бубль-Гум»',
        ].join('\n'),
        { fromAddress: 'Email000@gmail.ru', subject: 'Инцидент: ошибка при оплате сертификатом' },
      ),
      'primorye',
    );
    expect(requestType).toBe('incident');
    expect(intake.initiator).toEqual({
      fullName: 'Петров Петр Петрович',
      email: 'Email000@gmail.ru',
      position: 'Менеджер отдела продаж',
      organization: '«Бубль-Гум»',
    });
  });

  it('«Запрос на обслуживание»: access for a new employee is recognised as an access request (п. 3.3.1)', () => {
    const { intake, requestType } = extractIntake(
      message(
        [
          'Прошу предоставить доступ к выгрузке отчётности новому сотруднику.',
          'ФИО сотрудника: Иванов Иван Иванович ИвановИИ@mail.ru',
          'Контактный номер сотрудника: 8 913 1313131',
          '',
          'ФИО: Тестов Тест Тестович*',
          'Email@gmail.ru*',
          '«Бубль-Гум»*',
        ].join('\n'),
      ),
      'primorye',
    );
    expect(requestType).toBe('service');
    expect(intake.access).toEqual({ kind: 'grant' });
    expect(intake.initiator).toMatchObject({
      fullName: 'Тестов Тест Тестович',
      email: 'Email@gmail.ru',
      organization: '«Бубль-Гум»',
    });
  });

  it('«Запрос на изменение»: a long position that is an organisation’s name still counts as the position line', () => {
    const { intake, requestType } = extractIntake(
      message(
        [
          '1. На всех новостных страницах приложения Единый портал отсутствует кнопка «поделиться».',
          '2. Просьба рассмотреть возможность добавить эту кнопку в правом нижнем углу.*',
          '',
          'ФИО инициатора: Тестов Тест Тестович*',
          'Email000@gmail.ru*',
          'Специалист-эксперт отдела организации предоставления социальных выплат семьям с детьми министерства труда и социальной политики Приморского края*',
        ].join('\n'),
        { subject: 'Запрос на изменение: кнопка «поделиться»' },
      ),
      'primorye',
    );
    expect(requestType).toBe('change');
    // The line starts with a post: it is the position, though it names a ministry. Taken as the
    // organisation (as before), the desk asked for a position it had and kept a job title as the
    // organisation for good; now the organisation is asked for (п. 2.3.1.1) rather than guessed.
    expect(intake.initiator.position).toMatch(/^Специалист-эксперт отдела/);
    expect(intake.initiator.organization).toBeUndefined();
    expect(missingFields(intake, required('change')).map((f) => f.field)).toEqual(['initiator.organization']);
  });

  it('explicit keys, the sender’s display name as a fallback for ФИО; an address in the body is data, the sender’s is the mail target (issue #18, finding 8)', () => {
    const { intake } = extractIntake(
      message(
        [
          'Не работает выгрузка.',
          'Должность: бухгалтер',
          'Организация: ООО «Ромашка»',
          'E-mail: buh@romashka.ru',
          'Телефон: 8 (423) 239-33-38',
        ].join('\n'),
        {
          fromAddress: 'secretary@romashka.ru',
          fromName: 'Сидорова Анна Петровна',
        },
      ),
      'primorye',
    );
    expect(intake.initiator).toEqual({
      fullName: 'Сидорова Анна Петровна',
      email: 'secretary@romashka.ru',
      statedEmail: 'buh@romashka.ru',
      position: 'бухгалтер',
      organization: 'ООО «Ромашка»',
      phone: '+74232393338',
    });
  });

  it('a bare message yields what it can and the missing mandatory fields are known', () => {
    const { intake, requestType } = extractIntake(message('помогите', { fromName: 'ivan' }), 'primorye');
    expect(requestType).toBeUndefined();
    expect(missingFields(intake, required('information')).map((f) => f.label)).toEqual([
      'фамилия, имя и отчество Инициатора',
      'наименование органа или организации',
    ]);
  });

  it('quoted earlier messages are not part of the request', () => {
    const { intake } = extractIntake(
      message('Новый вопрос про отчёты.\n> старая переписка\n> ФИО: Кто-то Другой'),
      'primorye',
    );
    expect(intake.description).toBe('Новый вопрос про отчёты.');
    expect(intake.initiator.fullName).toBeUndefined();
  });

  it('seed 003: СНИЛС, ИНН, date of birth and the contact method (п. 3.3.2.1)', () => {
    const { intake } = extractIntake(
      message(
        [
          'Не отправляется заявление через виджет.',
          'ФИО: Смирнов Алексей Викторович',
          'СНИЛС: 112-233-445 95',
          'ИНН: 500100732259',
          'Дата рождения: 12.04.1985',
        ].join('\n'),
        {
          fromAddress: 'smirnov@example.ru',
        },
      ),
      'epgu',
    );
    expect(intake.initiator).toEqual({
      fullName: 'Смирнов Алексей Викторович',
      email: 'smirnov@example.ru',
      snils: '11223344595',
      inn: '500100732259',
      birthDate: '1985-04-12',
      contact: 'e-mail: smirnov@example.ru',
    });
  });
});
