/**
 * The first ticket the start banner offers to create, per regulation: a phone request its rules
 * accept as it stands (test/api/firstTicket.test.ts posts each one), so a new user's first command
 * is a 201, not a 422.
 */
import type { BuiltInRegulationId } from '../domain';

export const FIRST_TICKET: Record<BuiltInRegulationId, Record<string, unknown>> = {
  // Seed 000 п. 2.3.1.1, 2.3.1.9: an incident by phone carries the expected and the actual result.
  primorye: {
    requestType: 'incident',
    description: 'Не списываются баллы при оплате сертификатом',
    expectedResult: 'Покупка оплачена баллами',
    actualResult: 'Ошибка «Недостаточно средств»',
    initiator: {
      fullName: 'Петров Петр Петрович',
      email: 'manager@bubblegum.example',
      organization: '«Бубль-Гум»',
    },
  },
  // Seed 003 п. 3.3.2.1: the user's data that СП ЕПГУ needs if the appeal is forwarded.
  epgu: {
    description: 'Не отправляется заявление через виджет',
    initiator: {
      fullName: 'Смирнов Алексей Викторович',
      email: 'smirnov@example.ru',
      snils: '112-233-445 95',
      inn: '500100732259',
      birthDate: '1985-04-12',
      contact: 'smirnov@example.ru',
    },
  },
};
