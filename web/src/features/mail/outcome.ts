/**
 * The intake's outcome notes (GET /inbox `outcome`) are stable English for integrations and logs;
 * operators read them in Russian. Unknown notes are shown as they are.
 */
const PARTS: [RegExp, string | ((...m: string[]) => string)][] = [
  [/^ticket; missing fields asked$/, 'новая заявка; у инициатора запрошены недостающие сведения'],
  [/^ticket$/, 'новая заявка'],
  [
    /^sender not authenticated: no automatic mail$/,
    'отправитель не подтверждён: автоматические письма ему не отправляются',
  ],
  [/^reply$/, 'сообщение инициатора по заявке'],
  [/^status_inquiry$/, 'запрос о статусе заявки'],
  [/^counterpart: reply$/, 'ответ пользователя через СП РПГУ'],
  [/^counterpart: status_inquiry$/, 'запрос о статусе через СП РПГУ'],
  [/^counterpart: comment$/, 'письмо смежной службы по заявке'],
  [
    /^(\d+) attachment\(s\) over the limits kept only in the raw message$/,
    (n) => `вложений сверх лимита: ${n} (только в исходном письме)`,
  ],
  [/^ignored: (.+)$/, (why) => `пропущено: ${automatic(why)}`],
  [/^held: (.+)$/, (why) => `задержано: ${held(why)}`],
  [/^failed after (\d+) attempts: (.+)$/, (n, e) => `ошибка после ${n} попыток: ${e}`],
];

function automatic(why: string): string {
  if (/bounce|MAILER-DAEMON/i.test(why)) return 'уведомление о недоставке';
  if (/^(Auto-Submitted|X-Autoreply|X-Auto-Response-Suppress|auto-reply subject)/i.test(why))
    return 'автоответ';
  if (/^Precedence|^mailing list/i.test(why)) return 'рассылка';
  if (why === 'our own mail') return 'письмо самой службы поддержки';
  return why;
}

function held(why: string): string {
  let m: RegExpExecArray | null;
  if ((m = /^(\S+) is not an address of ticket (\S+)$/.exec(why)))
    return `${m[1]} — не адрес инициатора заявки ${m[2]}`;
  if ((m = /^ticket (\S+) is archived$/.exec(why))) return `заявка ${m[1]} в архиве`;
  if (/does not match From:/.test(why))
    return 'адрес отправителя в конверте не совпадает с From: (не отвечено автоматически)';
  if (/is suppressed/.test(why)) return 'письма на этот адрес не доставляются (не отвечено автоматически)';
  if (/automatic mails this hour/.test(why))
    return 'лимит автоматических ответов этому адресу за час (не отвечено автоматически)';
  if (/^no sender address/.test(why)) return 'нет адреса отправителя';
  if (/service .*names no known ticket/.test(why)) return 'письмо смежной службы без известной заявки';
  if (/^mail from the (regional|federal) service/.test(why)) return `письмо смежной службы: ${why}`;
  if (/cannot be parsed/.test(why)) return 'письмо не разобрано';
  if ((m = /^over the processing budget: more than (\d+) lines$/.exec(why)))
    return `превышен бюджет обработки письма: больше ${m[1]} строк текста`;
  if ((m = /^over the processing budget: (\d+) ms, at most (\d+) ms$/.exec(why)))
    return `превышен бюджет обработки письма: ${m[1]} мс при пределе ${m[2]} мс`;
  return why;
}

export function describeOutcome(outcome: string | null, status: string): string {
  if (!outcome) return STATUS[status] ?? status;
  return outcome
    .split('; ')
    .reduce<string[]>((parts, part, i, all) => {
      // «ticket; missing fields asked» is one note.
      if (part === 'missing fields asked') return parts;
      const whole = all[i + 1] === 'missing fields asked' ? `${part}; ${all[i + 1]}` : part;
      const rule = PARTS.find(([re]) => re.test(whole));
      if (!rule) return [...parts, whole];
      const [re, to] = rule;
      return [...parts, typeof to === 'string' ? to : to(...re.exec(whole)!.slice(1))];
    }, [])
    .join('; ');
}

const STATUS: Record<string, string> = {
  pending: 'ожидает обработки',
  processing: 'обрабатывается',
  held: 'задержано',
  failed: 'ошибка',
  done: 'обработано',
  ignored: 'пропущено',
  duplicate: 'повтор',
};
