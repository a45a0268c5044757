/** Pure decisions about an inbound message: is it automatic, which ticket does it refer to, is it a forward. */
import { normalizeEmail } from '../domain';
import type { InboundMessage } from './parse';

/**
 * Why a message must neither create a ticket nor be answered: auto-replies, bounces, mailing lists,
 * our own mail coming back. Null when a person wrote it.
 */
export function automaticReason(
  message: InboundMessage,
  envelopeFrom: string,
  ourDomain: string,
): string | null {
  const h = message.headers;
  const from = (message.fromAddress ?? '').toLowerCase();
  if (envelopeFrom === '' || envelopeFrom === '<>') return 'null sender (bounce)';
  if (message.deliveryReport) return 'delivery status notification (bounce)';
  if (/^(mailer-daemon|postmaster)@/i.test(from) || /^(mailer-daemon|postmaster)@/i.test(envelopeFrom))
    return 'from MAILER-DAEMON';
  if (h['auto-submitted'] && !/^\s*no\b/i.test(h['auto-submitted']))
    return `Auto-Submitted: ${h['auto-submitted']}`;
  if (h['x-autoreply'] || h['x-autorespond']) return 'X-Autoreply';
  if (h['x-auto-response-suppress'] && /\b(all|oof|autoreply)\b/i.test(h['x-auto-response-suppress']))
    return `X-Auto-Response-Suppress: ${h['x-auto-response-suppress']}`;
  if (h['precedence'] && /\b(bulk|junk|list|auto_reply)\b/i.test(h['precedence']))
    return `Precedence: ${h['precedence']}`;
  if (h['list-id'] || h['list-unsubscribe']) return 'mailing list';
  if (h['x-reglament-ticket'] || from.endsWith(`@${ourDomain}`)) return 'our own mail';
  if (
    /^(?:auto(?:matic)?\s*reply|autoreply|out of office|автоответ|автоматический ответ|нет на месте|отпуск)\b/i.test(
      message.subject,
    )
  )
    return 'auto-reply subject';
  return null;
}

/** Ticket IDs named in the subject, or at the start of the body (seed 000 п. 2.3.1.6). */
export function idsInText(message: InboundMessage, prefix: string): string[] {
  const pattern = new RegExp(`(?<![\\p{L}\\d])${prefix}\\d{4,12}(?![\\p{L}\\d])`, 'gu');
  const firstLine = message.text.split('\n').find((l) => l.trim()) ?? '';
  return [...new Set([...(message.subject.match(pattern) ?? []), ...(firstLine.match(pattern) ?? [])])];
}

/**
 * Tickets our own Message-IDs point at: `<ID100123.7.acknowledgement.r1@domain>` from this instance
 * (another installation's IDs mean nothing here).
 */
export function idsInReferences(message: InboundMessage, instance: string, domain: string): string[] {
  const ours = new RegExp(
    `^<([A-Za-z]+\\d+)\\.(?:\\d+\\.[A-Za-z]+\\.)?${instance}@${domain.replace(/\./g, '\\.')}>$`,
    'i',
  );
  return [...new Set(message.referenced.map((id) => ours.exec(id)?.[1]).filter((x): x is string => !!x))];
}

const FORWARD =
  /^\s*(?:\[[^\]]*\]\s*)?(?:fwd?|fw|пересл(?:ано|\.)?|переслать|переслано|нпр|tr|wg|rv|vs)\s*(?:\[\d+\]\s*)?:/i;

/** «Fwd: …», «Fw: …», «Пересл.: …»: a person passing a ticket's mail on. */
export function isForward(subject: string): boolean {
  return FORWARD.test(subject);
}

export interface SenderCheck {
  /** The From: address (lower case), or null when there is none or it is not an address. */
  readonly address: string | null;
  /**
   * The envelope sender (MAIL FROM) and From: agree on the domain (the same domain, or one a subdomain
   * of the other, as DMARC's relaxed alignment): an automatic answer goes where the mail came from.
   */
  readonly aligned: boolean;
  /**
   * The envelope sender and From: are the same address: the sender is identified by the address that
   * carried the mail, never by one typed in the body (seed 000 п. 3.3.1–3.3.2, issue #11).
   */
  readonly verified: boolean;
}

const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1);

/** Who sent a message, as far as its envelope and headers agree. */
export function checkSender(fromAddress: string | null, envelopeFrom: string): SenderCheck {
  const from = fromAddress ? (normalizeEmail(fromAddress)?.toLowerCase() ?? null) : null;
  const envelope = normalizeEmail(envelopeFrom.replace(/^<|>$/g, ''))?.toLowerCase() ?? null;
  if (!from || !envelope) return { address: from, aligned: false, verified: false };
  const a = domainOf(from);
  const b = domainOf(envelope);
  const aligned = a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);
  return { address: from, aligned, verified: from === envelope };
}
