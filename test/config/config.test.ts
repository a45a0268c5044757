import { ConfigError, loadConfig, WORKER_DEFAULTS } from '../../config';

describe('configuration from the environment (validated once, failing with the variable’s name)', () => {
  it('defaults make the embedded setup work', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      databaseUrl: null,
      dataDir: '.data',
      temporal: { address: null, namespace: 'default', taskQueue: 'reglament', uiPort: 8233 },
      api: { host: '127.0.0.1', port: 3000 },
      smtpInbound: { port: 2525, tls: null, routes: {} },
      mail: { smtpUrl: null, domain: 'reglament.local', instance: 'r1' },
      defaultRegulation: 'primorye',
    });
  });

  it.each([
    [{ API_PORT: 'abc' }, 'API_PORT: a port number (1–65535)'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL: must be a postgres:// URL'],
    [{ SMTP_URL: 'http://x' }, 'SMTP_URL: must be an smtp:// or smtps:// URL'],
    [{ MANAGER_EMAILS: 'boss@x.ru, nope' }, 'MANAGER_EMAILS: "nope" is not an e-mail address'],
    [
      { MAIL_ROUTES: 'help@dprim.ru=nowhere' },
      'MAIL_ROUTES: "help@dprim.ru=nowhere": unknown regulation "nowhere"',
    ],
    [
      { REGULATION_SETTINGS: '{"epgu":{"timeZone":"Mars/Base"}}' },
      'REGULATION_SETTINGS.epgu: Unknown time zone "Mars/Base"',
    ],
    [{ REGULATION_SETTINGS: '{' }, 'REGULATION_SETTINGS is not JSON'],
    [{ SMTP_TLS_KEY: 'key.pem' }, 'SMTP_TLS_KEY and SMTP_TLS_CERT go together'],
    [{ DEFAULT_REGULATION: 'x' }, 'DEFAULT_REGULATION: unknown regulation "x"'],
    [{ MAIL_DOMAINS: 'dprim.ru, not a domain' }, 'MAIL_DOMAINS: "not a domain" is not a mail domain'],
    [{ METRICS_PORT: '70000' }, 'METRICS_PORT: a port number (1–65535)'],
  ])('%j → %s', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('routes desk addresses to regulations and applies deployment settings', () => {
    const c = loadConfig({
      MAIL_ROUTES: 'Help@Dprim.ru=primorye, rpgu@region.ru=epgu',
      REGULATION_SETTINGS: '{"epgu":{"timeZone":"Europe/Samara"}}',
    });
    expect(c.smtpInbound.routes).toEqual({ 'help@dprim.ru': 'primorye', 'rpgu@region.ru': 'epgu' });
    expect(c.regulations.epgu).toEqual({ timeZone: 'Europe/Samara' });
  });

  it('issue #10: desk domains, recipient limit, metrics listener, trusted proxies, rate limit', () => {
    expect(loadConfig({})).toMatchObject({
      smtpInbound: { domains: ['reglament.local'], maxRecipients: 100 },
      api: { rateLimitPerMinute: 600, trustProxy: false, metrics: null },
    });
    expect(
      loadConfig({
        MAIL_DOMAINS: 'Dprim.ru, region.ru',
        SMTP_MAX_RECIPIENTS: '20',
        METRICS_PORT: '9464',
        API_TRUST_PROXY: '1',
        API_RATE_LIMIT: '100',
      }),
    ).toMatchObject({
      smtpInbound: { domains: ['dprim.ru', 'region.ru'], maxRecipients: 20 },
      api: { rateLimitPerMinute: 100, trustProxy: 1, metrics: { host: '127.0.0.1', port: 9464 } },
    });
  });

  it('issue #18, finding 4: the sender check verifies by default; upstream needs its authserv-id', () => {
    expect(loadConfig({}).smtpInbound.auth).toEqual({ mode: 'verify', timeoutMs: 5_000 });
    expect(loadConfig({ MAIL_AUTH: 'upstream', MAIL_AUTH_SERVID: 'MX.Example.ru' }).smtpInbound.auth).toEqual(
      { mode: 'upstream', servId: 'mx.example.ru' },
    );
    expect(loadConfig({ MAIL_AUTH: 'off' }).smtpInbound.auth).toEqual({ mode: 'off' });
    expect(() => loadConfig({ MAIL_AUTH: 'upstream' })).toThrow(/MAIL_AUTH_SERVID/);
    expect(() => loadConfig({ MAIL_AUTH: 'verify', MAIL_AUTH_SERVID: 'mx.example.ru' })).toThrow(
      /only with MAIL_AUTH=upstream/,
    );
    expect(() => loadConfig({ MAIL_AUTH: 'trust-me' })).toThrow(/MAIL_AUTH: verify, upstream or off/);
    expect(() => loadConfig({ MAIL_AUTH_TIMEOUT_MS: '10' })).toThrow(/MAIL_AUTH_TIMEOUT_MS/);
  });

  it('issue #21: the worker holds a burst of due tickets in memory and runs their tasks side by side', () => {
    // The SDK's own default cache follows the heap (2,310 on a 4 GiB heap): a burst of 5,000 due
    // tickets then replayed the evicted ones from their whole histories.
    expect(loadConfig({}).worker).toEqual(WORKER_DEFAULTS);
    expect(WORKER_DEFAULTS.maxCachedWorkflows).toBeGreaterThanOrEqual(5_000);
    expect(
      loadConfig({
        WORKER_MAX_CACHED_WORKFLOWS: '20000',
        WORKER_WORKFLOW_TASKS: '80',
        WORKER_ACTIVITY_TASKS: '50',
      }).worker,
    ).toEqual({ maxCachedWorkflows: 20_000, workflowTasks: 80, activityTasks: 50 });
    expect(() => loadConfig({ WORKER_WORKFLOW_TASKS: '1' })).toThrow(/WORKER_WORKFLOW_TASKS/);
    expect(() => loadConfig({ WORKER_MAX_CACHED_WORKFLOWS: 'many' })).toThrow(/WORKER_MAX_CACHED_WORKFLOWS/);
  });
});
