/**
 * The intake's sender check (issue #18, finding 4), in the mode configuration chooses (MAIL_AUTH):
 * - verify: SPF, DKIM and DMARC evaluated here with mailauth, against DNS (the resolver is injectable,
 *   so tests publish their records in-process);
 * - upstream: the Authentication-Results of the MTA in front of the desk (MAIL_AUTH_SERVID);
 * - off: not checked (the verdict is null), for a desk that only takes mail from a trusted gateway.
 * A DNS that is slow or away never holds the intake: every lookup and the whole check are bounded,
 * and running out of time is a temporary error (temperror), i.e. not authenticated.
 */
import { promises as dns } from 'node:dns';
import { authenticate, type DNSResolver } from 'mailauth';
import { headerFields, judge, upstreamResults, fromDomainOf, type SenderAuth } from './verdict';

export type { DNSResolver } from 'mailauth';

export type SenderAuthSettings =
  | { readonly mode: 'off' }
  | { readonly mode: 'upstream'; readonly servId: string }
  | {
      readonly mode: 'verify';
      /** DNS lookups; default: the system's resolver with `timeoutMs` per query. */
      readonly resolver?: DNSResolver;
      /** The bound of the whole check (and of each system DNS query). */
      readonly timeoutMs?: number;
      /** Our host name in the results (mailauth's `mta`). */
      readonly mta?: string;
    };

export interface Envelope {
  readonly raw: Buffer;
  readonly ip: string | null;
  readonly helo: string | null;
  readonly mailFrom: string;
}

export type SenderAuthenticator = (envelope: Envelope) => Promise<SenderAuth | null>;

/** The system resolver with a bounded timeout and one try: an unreachable DNS fails fast. */
export function systemResolver(timeoutMs: number): DNSResolver {
  const resolver = new dns.Resolver({ timeout: timeoutMs, tries: 1 });
  return (domain, type) => resolver.resolve(domain, type) as Promise<string[][] | string[]>;
}

class Timeout extends Error {}

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout()), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

const DEFAULT_TIMEOUT_MS = 5_000;

export function createSenderAuthenticator(settings: SenderAuthSettings): SenderAuthenticator {
  if (settings.mode === 'off') return () => Promise.resolve(null);
  if (settings.mode === 'upstream') {
    const servId = settings.servId;
    return (e) => Promise.resolve(judge('upstream', upstreamResults(headerFields(e.raw), servId)));
  }
  const timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const resolver = settings.resolver ?? systemResolver(Math.max(200, Math.floor(timeoutMs / 3)));
  return async (e) => {
    const fromDomain = fromDomainOf(headerFields(e.raw));
    const mailFrom = e.mailFrom.replace(/^<|>$/g, '');
    try {
      const r = await within(
        timeoutMs,
        authenticate(e.raw, {
          ...(e.ip && { ip: e.ip }),
          ...(e.helo && { helo: e.helo }),
          // A null sender (bounce) is checked by its HELO name, as SPF says.
          sender: mailFrom || `postmaster@${e.helo ?? 'localhost'}`,
          mta: settings.mta ?? 'reglament',
          resolver,
          disableArc: true,
          disableBimi: true,
        }),
      );
      const spf = r.spf ? { result: r.spf.status.result, domain: r.spf.domain ?? null } : null;
      return judge('verify', {
        fromDomain,
        spf: spf ?? { result: 'none', domain: null },
        dkim: (r.dkim.results ?? []).map((d) => ({
          result: d.status.result,
          domain: d.signingDomain ? d.signingDomain.toLowerCase() : null,
        })),
        dmarc: r.dmarc ? r.dmarc.status.result : 'none',
      });
    } catch (error) {
      // DNS away or too slow, or a message mailauth cannot read: not authenticated, and the message
      // is still stored (nothing accepted is lost).
      const result = error instanceof Timeout ? 'temperror' : 'permerror';
      return judge('verify', {
        fromDomain,
        spf: { result, domain: null },
        dkim: [{ result, domain: null }],
        dmarc: result,
      });
    }
  };
}
