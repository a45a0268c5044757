/**
 * A person's date of birth as the federal service needs it (seed 003 п. 3.3.2.1): a real calendar
 * date, not after today, and a living person's (at most 120 years ago). A pattern alone let
 * «1979-02-30», «2030-01-01» and «1890-01-01» through to СП ЕПГУ.
 */

const MAX_AGE_YEARS = 120;

/** Why a date of birth (ГГГГ-ММ-ДД) cannot be right on the local date `today` (ГГГГ-ММ-ДД), or null. */
export function birthDateProblem(value: string, today: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return `дата рождения «${value}» должна быть в виде ГГГГ-ММ-ДД`;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return `даты рождения «${value}» нет в календаре`;
  }
  if (value > today) return `дата рождения «${value}» ещё не наступила`;
  const oldest = `${String(Number(today.slice(0, 4)) - MAX_AGE_YEARS).padStart(4, '0')}${today.slice(4)}`;
  if (value < oldest) return `дата рождения «${value}» более чем ${MAX_AGE_YEARS} лет назад`;
  return null;
}
