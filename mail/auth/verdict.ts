/**
 * Who really sent a message (issue #18, finding 4): the SPF, DKIM and DMARC results, evaluated by the
 * intake itself or read from the Authentication-Results of a trusted upstream MTA, judged into one
 * verdict. Pure: header text and results in, a verdict out; the DNS work is in ./authenticate.ts.
 */
import addressparser from 'nodemailer/lib/addressparser';

/** RFC 8601 results: pass, fail, softfail, neutral, none, temperror, permerror, policy. */
export type AuthResult = string;

export interface SenderAuth {
  /** verify: evaluated here; upstream: read from the configured MTA's Authentication-Results. */
  readonly mode: 'verify' | 'upstream';
  readonly spf: AuthResult;
  readonly dkim: AuthResult;
  readonly dmarc: AuthResult;
  /** The From: domain the verdict is about (lower case), null when From: has no single address. */
  readonly fromDomain: string | null;
  /** The authenticated domain aligned with From: (DKIM d= or SPF MAIL FROM), if any. */
  readonly domain: string | null;
  /** DMARC passed, or (no DMARC record) an SPF or DKIM pass aligned with From:. */
  readonly authenticated: boolean;
  /** Which mechanism authenticated it, or why not, for people. */
  readonly via?: 'dmarc' | 'dkim' | 'spf';
}

export interface MechanismResults {
  readonly fromDomain: string | null;
  readonly spf: { readonly result: AuthResult; readonly domain: string | null };
  readonly dkim: readonly { readonly result: AuthResult; readonly domain: string | null }[];
  readonly dmarc: AuthResult;
}

/** DMARC's relaxed alignment, kept strict about organisational domains: the same domain or a subdomain. */
export function aligned(a: string | null, b: string | null): boolean {
  if (!a || !b) return false;
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x === y || x.endsWith(`.${y}`) || y.endsWith(`.${x}`);
}

/** One verdict from the three mechanisms' results. */
export function judge(mode: SenderAuth['mode'], r: MechanismResults): SenderAuth {
  const dkimPass = r.dkim.find((d) => d.result === 'pass' && aligned(d.domain, r.fromDomain));
  const spfPass = r.spf.result === 'pass' && aligned(r.spf.domain, r.fromDomain) ? r.spf.domain : null;
  const dkim = dkimPass
    ? 'pass'
    : (r.dkim.find((d) => d.result === 'pass')?.result ?? r.dkim[0]?.result ?? 'none');
  const base = { mode, spf: r.spf.result, dkim, dmarc: r.dmarc, fromDomain: r.fromDomain };
  const domain = dkimPass?.domain ?? spfPass ?? null;
  if (!r.fromDomain || !domain) return { ...base, domain: null, authenticated: false };
  // A published DMARC policy decides; without one, an aligned pass of either mechanism is enough.
  if (r.dmarc === 'pass') return { ...base, domain, authenticated: true, via: 'dmarc' };
  if (r.dmarc !== 'none' && r.dmarc !== 'neutral') return { ...base, domain, authenticated: false };
  return { ...base, domain, authenticated: true, via: dkimPass ? 'dkim' : 'spf' };
}

/** «Отправитель подтверждён (DMARC)» / «Отправитель не подтверждён: SPF fail, DKIM none, DMARC none». */
export function describeSenderAuth(auth: SenderAuth | null): string {
  if (!auth) return 'Отправитель не проверялся (MAIL_AUTH=off)';
  if (auth.authenticated)
    return `Отправитель подтверждён (${(auth.via ?? 'dmarc').toUpperCase()}${auth.domain ? `, ${auth.domain}` : ''})`;
  return `Отправитель не подтверждён: SPF ${auth.spf}, DKIM ${auth.dkim}, DMARC ${auth.dmarc}`;
}

/** What operators see of a stored verdict (GET /inbox, /inbox/{id}, a ticket's correspondence). */
export function senderAuthView(auth: unknown): (SenderAuth & { readonly summary: string }) | null {
  if (!auth || typeof auth !== 'object') return null;
  const a = auth as SenderAuth;
  return { ...a, summary: describeSenderAuth(a) };
}

const MAX_HEADER_BLOCK = 256 * 1024;

/** The header fields of a raw message, in order, unfolded; the block is bounded. */
export function headerFields(raw: Buffer): { readonly name: string; readonly value: string }[] {
  const text = raw.subarray(0, Math.min(raw.length, MAX_HEADER_BLOCK)).toString('utf8');
  const fields: { name: string; value: string }[] = [];
  for (const line of text.split('\n')) {
    const l = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (l === '') break;
    if ((l.startsWith(' ') || l.startsWith('\t')) && fields.length) {
      fields[fields.length - 1]!.value += ` ${l.trim()}`;
      continue;
    }
    const colon = l.indexOf(':');
    if (colon <= 0) continue;
    fields.push({ name: l.slice(0, colon).trim().toLowerCase(), value: l.slice(colon + 1).trim() });
  }
  return fields;
}

const domainOf = (address: string): string | null => {
  const at = address.lastIndexOf('@');
  return at > 0 && at < address.length - 1 ? address.slice(at + 1).toLowerCase() : null;
};

/** The domain of the single From: address; null for none, several, or several From: fields. */
export function fromDomainOf(fields: readonly { name: string; value: string }[]): string | null {
  const from = fields.filter((f) => f.name === 'from');
  if (from.length !== 1) return null;
  const list = addressparser(from[0]!.value, { flatten: true });
  return list.length === 1 && list[0]!.address ? domainOf(list[0]!.address) : null;
}

/** Drops RFC 5322 comments «(…)», nested or not, in one pass. */
function withoutComments(value: string): string {
  let depth = 0;
  let out = '';
  for (const ch of value) {
    if (ch === '(') depth++;
    else if (ch === ')' && depth > 0) depth--;
    else if (depth === 0) out += ch;
  }
  return out;
}

/**
 * The results an upstream MTA recorded (RFC 8601): only the topmost Authentication-Results whose
 * authserv-id is the configured one counts. The MTA must remove such headers arriving from outside
 * (RFC 8601 §5), so one a sender wrote can never be on top; headers with other ids are ignored.
 */
export function upstreamResults(
  fields: readonly { name: string; value: string }[],
  servId: string,
): MechanismResults {
  const fromDomain = fromDomainOf(fields);
  const none: MechanismResults = {
    fromDomain,
    spf: { result: 'none', domain: null },
    dkim: [],
    dmarc: 'none',
  };
  const wanted = servId.toLowerCase();
  const header = fields.find(
    (f) =>
      f.name === 'authentication-results' &&
      withoutComments(f.value).split(';')[0]!.trim().split(/\s/)[0]!.toLowerCase() === wanted,
  );
  if (!header) return none;
  let spf = none.spf;
  const dkim: { result: string; domain: string | null }[] = [];
  let dmarc = 'none';
  for (const part of withoutComments(header.value).split(';').slice(1)) {
    const tokens = part.trim().split(/\s+/).filter(Boolean);
    const [method, result] = (tokens[0] ?? '').toLowerCase().split('=');
    if (!method || !result) continue;
    const props = new Map(
      tokens.slice(1).map((t) => {
        const eq = t.indexOf('=');
        return [t.slice(0, Math.max(eq, 0)).toLowerCase(), t.slice(eq + 1).replace(/^"|"$/g, '')] as const;
      }),
    );
    const name = method.split('/')[0];
    if (name === 'spf') {
      const mailfrom = props.get('smtp.mailfrom');
      const helo = props.get('smtp.helo');
      spf = {
        result,
        domain: mailfrom
          ? mailfrom.includes('@')
            ? domainOf(mailfrom)
            : mailfrom.toLowerCase()
          : (helo ?? null),
      };
    } else if (name === 'dkim') {
      const d = props.get('header.d');
      const i = props.get('header.i');
      dkim.push({ result, domain: d ? d.toLowerCase() : i ? domainOf(i) : null });
    } else if (name === 'dmarc') {
      dmarc = result;
    }
  }
  return { fromDomain, spf, dkim, dmarc };
}
