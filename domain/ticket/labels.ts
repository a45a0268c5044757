import type { RegulationData } from '../regulations/types';
import type { CommandType } from './types';

/** Russian names of the operators' actions, for refusals and the log. */
export const COMMAND_LABELS: Readonly<Record<CommandType, string>> = {
  register: 'регистрация',
  assign: 'назначение исполнителя',
  escalate: 'эскалация',
  requestInfo: 'запрос информации у инициатора',
  reply: 'сообщение инициатора',
  resume: 'возврат в работу',
  resolve: 'решение',
  closeUnreproducible: 'закрытие: инцидент не воспроизводится',
  reject: 'отклонение',
  close: 'закрытие',
  comment: 'комментарий',
  setDeadline: 'установка срока',
  reclassify: 'изменение типа',
  answerFromFaq: 'ответ из FAQ',
  forward: 'передача в СП ЕПГУ',
  return: 'возврат в СП РПГУ',
  registerClaim: 'регистрация претензии',
  resolveClaim: 'решение по претензии',
  askAgency: 'запрос в ФОИВ',
  agencyAnswered: 'ответ ФОИВ',
  statusInquiry: 'запрос о статусе',
  answerInquiry: 'ответ на запрос о статусе',
  confirm: 'подтверждение решения',
  disagree: 'несогласие с решением',
  requestApproval: 'направление на согласование в министерство',
  changeOrganization: 'изменение организации заявки',
  calendar: 'обновление производственного календаря',
  timer: 'срок',
};

export function statusLabel(regulation: RegulationData, status: string): string {
  return regulation.statuses[status]?.label ?? status;
}

export function typeLabel(regulation: RegulationData, type: string): string {
  return regulation.requestTypes[type]?.label ?? 'тип не определён';
}

export function lineLabel(regulation: RegulationData, line: string): string {
  return regulation.lines[line]?.label ?? line;
}
