/**
 * The first run's secrets (the console admin's one-time password, the admin API key) go to the person
 * at the terminal and nowhere else (issue #18, finding 13): straight to stdout when it is a terminal;
 * else to the controlling terminal (/dev/tty), so `npm start > app.log` keeps them out of the log;
 * with no terminal at all (a service manager, CI), into DATA_DIR/first-run-secrets.txt readable by its
 * owner only, and the output says where. They are created only once the desk is up (cli/service.ts),
 * so a first start that fails creates nothing and the next one shows them (issue #19).
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SeedResult } from '../db/seed';

export const SECRETS_FILE = 'first-run-secrets.txt';

/** How to get back in without the first run's secrets (also in the README, «Войти снова»). */
export const GETTING_BACK_IN =
  'Lost the admin password or key? `npx reglament users reset-password admin` prints a new one-time password; ' +
  '`npx reglament keys create --role admin --name …` a new key (README: «Войти снова»)';

function secretLines(seeded: SeedResult): string[] {
  return [
    ...(seeded.adminSignIn
      ? [
          `  Console admin  login ${seeded.adminSignIn.login}, one-time password ${seeded.adminSignIn.password}`,
          '                 (choose your own at the first sign-in; more people: `npx reglament users create …`)',
        ]
      : []),
    ...(seeded.adminKey
      ? [
          `  Admin API key  ${seeded.adminKey}`,
          '                 (shown once: keep it; more with `npx reglament keys create --role … --name …`)',
        ]
      : []),
  ];
}

function toControllingTerminal(text: string): boolean {
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'w');
  } catch {
    return false;
  }
  try {
    writeSync(fd, text);
    return true;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

/** A file under the data directory that only its owner can read (even when it was there before). */
export function writeOwnerOnly(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/**
 * Shows what this run created; returns the lines for the start banner (never the secrets themselves
 * unless stdout is a terminal).
 */
export function showFirstRunSecrets(
  seeded: SeedResult,
  dataDir: string,
  {
    stdoutIsTerminal = process.stdout.isTTY === true,
    controllingTerminal = toControllingTerminal,
  }: { stdoutIsTerminal?: boolean; controllingTerminal?: (text: string) => boolean } = {},
): string[] {
  const lines = secretLines(seeded);
  const dir = resolve(dataDir);
  const file = join(dir, SECRETS_FILE);
  if (!lines.length)
    return existsSync(file)
      ? [`  First run      its secrets are still in ${file} (owner only): delete it once you have signed in`]
      : [`  Getting in     ${GETTING_BACK_IN}`];
  if (stdoutIsTerminal) return lines;
  const text = ['reglament: first-run secrets (not written to any log)', ...lines, ''].join('\n');
  if (controllingTerminal(text))
    return [
      '  First run      the admin’s one-time password and API key were shown on your terminal, not in this output',
    ];
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeOwnerOnly(file, text);
  return [
    `  First run      no terminal: the admin’s one-time password and API key are in ${file}`,
    '                 (readable by you only; delete it once you have signed in)',
  ];
}
