/** Russian personal identifiers with their checksums. Each returns the normalised digits or null. */

function digitsOnly(input: string): string {
  return input.replace(/[\s\-–—.]/g, '');
}

/**
 * СНИЛС: 11 digits, the last two a checksum of the first nine (weights 9…1, modulo 101, with 100 and
 * 101 giving 00). Numbers up to 001-001-998 predate the checksum and are accepted as issued.
 */
export function normalizeSnils(input: string): string | null {
  const s = digitsOnly(input);
  if (!/^\d{11}$/.test(s)) return null;
  const body = s.slice(0, 9);
  if (Number(body) <= 1_001_998) return s;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(body[i]) * (9 - i);
  let check = sum % 101;
  if (check === 100) check = 0;
  return check === Number(s.slice(9)) ? s : null;
}

/** 'XXX-XXX-XXX YY', as the number is written on the card. */
export function formatSnils(snils: string): string {
  return `${snils.slice(0, 3)}-${snils.slice(3, 6)}-${snils.slice(6, 9)} ${snils.slice(9)}`;
}

const INN10 = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

function innCheck(digits: string, weights: number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += Number(digits[i]) * weights[i]!;
  return (sum % 11) % 10;
}

/** ИНН: 10 digits (organisation) or 12 digits (individual) with their check digits. */
export function normalizeInn(input: string): string | null {
  const s = digitsOnly(input);
  if (/^\d{10}$/.test(s)) return innCheck(s, INN10) === Number(s[9]) ? s : null;
  if (/^\d{12}$/.test(s)) {
    return innCheck(s, INN11) === Number(s[10]) && innCheck(s, INN12) === Number(s[11]) ? s : null;
  }
  return null;
}
