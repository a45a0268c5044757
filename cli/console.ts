/**
 * The console's build (web/ → web/dist) for `npm start`: built on the first run and whenever a source
 * is newer than the build, with the Vite that `npm install` brought (a few seconds). Where Vite is
 * absent (a production image installed without dev dependencies) a prebuilt web/dist is used as is.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..');
export const WEB_DIR = join(ROOT, 'web');
export const CONSOLE_DIST = join(WEB_DIR, 'dist');
const VITE = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');

function newest(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), 0);
}

/** Whether web/dist is missing or older than any of the console's sources. */
export function consoleStale(): boolean {
  const index = join(CONSOLE_DIST, 'index.html');
  if (!existsSync(index)) return true;
  const sources = [join(WEB_DIR, 'src'), join(WEB_DIR, 'index.html'), join(WEB_DIR, 'vite.config.mts')];
  const built = statSync(index).mtimeMs;
  return sources.some((p) => existsSync(p) && newest(p) > built);
}

export function buildConsole(log: (line: string) => void = () => undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VITE, 'build', '--config', join(WEB_DIR, 'vite.config.mts')], {
      cwd: ROOT,
      // A production build whatever the caller runs under (Jest sets NODE_ENV=test).
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) {
        log('console built');
        resolve();
      } else reject(new Error(`vite build failed (${code}):\n${output.slice(-4000)}`));
    });
  });
}

/** The directory to serve the console from, building it first when needed; null when there is none. */
export async function ensureConsole(log: (line: string) => void): Promise<string | null> {
  if (consoleStale()) {
    if (!existsSync(VITE)) {
      if (existsSync(join(CONSOLE_DIST, 'index.html'))) return CONSOLE_DIST;
      log('the console is not built and Vite is not installed (npm install): serving the API only');
      return null;
    }
    log('building the console (web/)…');
    await buildConsole(log);
  }
  return CONSOLE_DIST;
}
