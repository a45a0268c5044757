/** E-mail and phone checks for intake fields: lenient on form, strict on meaning. */

// RFC 5321/6531 in practice: a local part without spaces or angle brackets (Unicode allowed, the
// seed's own example is «ИвановИИ@mail.ru»), a domain of dot-separated labels with a TLD.
const EMAIL =
  /^[^\s@<>()[\]\\,;:"]{1,64}@(?=.{1,253}$)(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}]{2,63}$/u;

/** The address trimmed, with its domain lower-cased; null when it is not an address. */
export function normalizeEmail(input: string): string | null {
  const s = input.trim().replace(/^mailto:/i, '');
  if (!EMAIL.test(s)) return null;
  const at = s.lastIndexOf('@');
  return s.slice(0, at) + '@' + s.slice(at + 1).toLowerCase();
}

/**
 * A phone number in E.164. Russian numbers may be written with 8 or +7 and any separators
 * («8 (800) 250-88-70», «+7-423-239-33-38», «8 900 123 00 00»); ten digits are taken as Russian.
 * Other countries must be written with '+'. Null when it cannot be a number.
 */
export function normalizePhone(input: string): string | null {
  const trimmed = input.trim();
  if (!/^\+?[\d\s\-().]+$/.test(trimmed)) return null;
  const digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('+')) {
    if (digits.startsWith('7')) return digits.length === 11 ? `+${digits}` : null;
    return digits.length >= 8 && digits.length <= 15 ? `+${digits}` : null;
  }
  if (digits.length === 11 && (digits.startsWith('8') || digits.startsWith('7')))
    return `+7${digits.slice(1)}`;
  if (digits.length === 10) return `+7${digits}`;
  return null;
}
