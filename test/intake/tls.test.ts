/** STARTTLS when a certificate is configured (a real TLS handshake over SMTP with a self-signed certificate). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { createIntake } from '../../mail/intake/server';
import { testDatabase } from '../support/database';
import { createSenderAuthenticator } from '../../mail/auth/authenticate';

describe('SMTP intake with STARTTLS', () => {
  it('offers STARTTLS and accepts mail over the encrypted session', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reglament-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const db = await testDatabase();
    const intake = createIntake({
      authenticate: createSenderAuthenticator({ mode: 'off' }),
      db: db.db,
      maxBytes: 100_000,
      recipients: ['help@dprim.ru'],
      tls: { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
    });
    const port = await intake.listen(0, '127.0.0.1');
    try {
      const client = nodemailer.createTransport({
        host: '127.0.0.1',
        port,
        secure: false,
        requireTLS: true,
        tls: { rejectUnauthorized: false },
      });
      const info = await client.sendMail({
        from: 'a@example.ru',
        to: 'help@dprim.ru',
        subject: 'TLS',
        text: 'зашифровано',
      });
      expect(info.response).toMatch(/^250 /);
      client.close();
      expect((await db.db.execute(sql`select count(*)::int as n from inbox`)).rows[0]).toEqual({ n: 1 });
    } finally {
      await intake.close();
      await db.drop();
    }
  });
});
