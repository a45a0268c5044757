/**
 * A raw message as the dispatcher needs it. mailparser does the MIME work (charsets such as KOI8-R
 * and Windows-1251, encoded-word subjects, nested multiparts); this keeps what matters and never
 * throws: a message that cannot be parsed still gets an outcome. Every text passes the storable-text
 * boundary after charset decoding (a UTF-16 subject may decode to a lone surrogate, a header may carry
 * a NUL) and is bounded; the raw message keeps everything.
 */
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import { normalizeEmail, storableText } from '../domain';

export interface InboundAttachment {
  readonly fileName: string;
  readonly contentType: string;
  readonly size: number;
  readonly content: Buffer;
}

export interface InboundMessage {
  readonly messageId: string | null;
  readonly fromAddress: string | null;
  readonly fromName: string | null;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  /** The HTML part as sent, for people to read (the console sanitises it and shows it sandboxed). */
  readonly html?: string | null;
  readonly date: Date | null;
  /** In-Reply-To and References, in order, with angle brackets. */
  readonly referenced: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
  readonly attachments: readonly InboundAttachment[];
  /** A delivery status notification (bounce) and the recipients it reports as failed. */
  readonly deliveryReport: { readonly failed: readonly string[] } | null;
}

/**
 * The HTML's text: each «<…>» becomes a space. A scan, not /<[^>]+>/g, which reads to the end of the
 * body from every «<» when no «>» follows (quadratic on «<<<<…», issue #18).
 */
export function withoutTags(html: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const open = html.indexOf('<', from);
    if (open < 0) break;
    const close = html.indexOf('>', open + 1);
    if (close < 0) break;
    if (close === open + 1) {
      out += html.slice(from, open + 1);
      from = open + 1;
      continue;
    }
    out += html.slice(from, open) + ' ';
    from = close + 1;
  }
  return out + html.slice(from);
}

export type Parsed =
  { readonly ok: true; readonly message: InboundMessage } | { readonly ok: false; readonly error: string };

/** Bounds after decoding: a message body longer than this is kept whole only in the raw message. */
const MAX_TEXT = 100_000;
const MAX_SUBJECT = 1000;
const MAX_ADDRESS = 320;
const MAX_NAME = 300;

const HEADERS = [
  'auto-submitted',
  'precedence',
  'x-autoreply',
  'x-autorespond',
  'x-auto-response-suppress',
  'list-id',
  'list-unsubscribe',
  'x-reglament-ticket',
  'return-path',
  'content-type',
  'x-failed-recipients',
];

function addresses(value: AddressObject | AddressObject[] | undefined): { address: string; name: string }[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list
    .flatMap((a) => a.value)
    .flatMap((v) => (v.group ? v.group : [v]))
    .map((v) => ({
      address: storableText(v.address ?? '', MAX_ADDRESS).trim(),
      name: storableText(v.name ?? '', MAX_NAME).trim(),
    }))
    .filter((v) => v.address);
}

function headerText(value: unknown): string {
  if (value == null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(headerText).join(', ');
  if (typeof value === 'object' && 'value' in (value as object)) {
    const v = value as { value: unknown; params?: Record<string, string> };
    const params = Object.entries(v.params ?? {})
      .map(([k, p]) => `; ${k}=${p}`)
      .join('');
    return `${headerText(v.value)}${params}`;
  }
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function messageIds(value: string | string[] | undefined): string[] {
  const all = (Array.isArray(value) ? value : value ? [value] : []).flatMap(
    (v) => v.match(/<[^<>\s]+>/g) ?? (v.trim() ? [`<${v.trim().replace(/^<|>$/g, '')}>`] : []),
  );
  return [...new Set(all)];
}

/** Failed recipients of a delivery report: the X-Failed-Recipients header and Final-Recipient lines. */
function failedRecipients(parsed: ParsedMail, headers: Record<string, string>): string[] {
  const fromHeader = (headers['x-failed-recipients'] ?? '').split(/[,\s]+/).filter((s) => s.includes('@'));
  const report = parsed.attachments
    .filter((a) => /message\/delivery-status/i.test(a.contentType))
    .map((a) => a.content.toString('utf8'))
    .join('\n');
  const finals = [
    ...(report + '\n' + (parsed.text ?? '')).matchAll(
      /^(?:Final|Original)-Recipient:\s*rfc822;\s*<?([^\s>]+@[^\s>]+)>?/gim,
    ),
  ].map((m) => m[1]!);
  // Only real addresses are suppressed: a report may name anything.
  const valid = [...fromHeader, ...finals]
    .map((a) => normalizeEmail(storableText(a, 320)))
    .filter((a): a is string => !!a);
  return [...new Set(valid.map((a) => a.toLowerCase()))].slice(0, 100);
}

export async function parseInbound(raw: Buffer): Promise<Parsed> {
  let parsed: ParsedMail;
  try {
    // textAsHtml is never used: building it (escaping and finding links in 100 KB of text) held the
    // event loop for a third of a second (issue #18, `npm run fuzz`).
    parsed = await simpleParser(raw, {
      skipImageLinks: true,
      skipTextToHtml: true,
      skipTextLinks: true,
      maxHtmlLengthToParse: 2_000_000,
    });
  } catch (e) {
    return { ok: false, error: storableText((e as Error).message, 500) };
  }
  const headers: Record<string, string> = {};
  for (const name of HEADERS) {
    const value = parsed.headers.get(name);
    if (value !== undefined) headers[name] = storableText(headerText(value), 2000);
  }
  const from = addresses(parsed.from)[0];
  const contentType = headers['content-type'] ?? '';
  const isReport = /multipart\/report/i.test(contentType) && /delivery-status/i.test(contentType);
  const text = storableText(
    (parsed.text ?? (typeof parsed.html === 'string' ? withoutTags(parsed.html) : '') ?? '').replace(
      /\r\n/g,
      '\n',
    ),
    MAX_TEXT,
  );
  return {
    ok: true,
    message: {
      messageId: parsed.messageId ? (messageIds(storableText(parsed.messageId, 1000))[0] ?? null) : null,
      fromAddress: from?.address ? from.address : null,
      fromName: from?.name ? from.name : null,
      to: [...addresses(parsed.to), ...addresses(parsed.cc)].map((a) => a.address),
      subject: storableText(parsed.subject ?? '', MAX_SUBJECT)
        .replace(/\s+/g, ' ')
        .trim(),
      text: text.trim(),
      html: typeof parsed.html === 'string' ? storableText(parsed.html) : null,
      date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : null,
      // In-Reply-To and the newest References: a header of thousands of IDs is not a thread to look up.
      referenced: [...messageIds(parsed.inReplyTo), ...messageIds(parsed.references).slice(-50)]
        .slice(0, 60)
        .map((id) => storableText(id, 1000)),
      headers,
      attachments: parsed.attachments
        .filter((a) => !/message\/delivery-status|text\/rfc822-headers/i.test(a.contentType))
        .map((a, i) => ({
          fileName: storableText(a.filename ?? `attachment-${i + 1}`, 200).trim() || `attachment-${i + 1}`,
          contentType: storableText(a.contentType || 'application/octet-stream', 200),
          size: a.size ?? a.content.length,
          content: a.content,
        })),
      deliveryReport:
        isReport || headers['x-failed-recipients'] ? { failed: failedRecipients(parsed, headers) } : null,
    },
  };
}
