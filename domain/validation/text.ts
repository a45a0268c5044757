/**
 * Text as PostgreSQL can store it: no NUL (text and jsonb reject it) and no other control characters
 * but tab, newline and carriage return, whatever a sender or a client put in.
 */
export function storableText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');
}
