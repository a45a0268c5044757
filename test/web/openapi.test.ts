/**
 * The console's API types are generated from the route table (scripts/openapi.ts): this fails when
 * a route changed and `npm run openapi` was not run, so the console cannot drift from the API.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';

const ROOT = resolve(__dirname, '..', '..');

test('web/src/api/schema.d.ts is what the current route table generates (run `npm run openapi`)', () => {
  const generated = execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'scripts', 'openapi.ts'), '--stdout'],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
  );
  expect(readFileSync(join(ROOT, 'web', 'src', 'api', 'schema.d.ts'), 'utf8')).toBe(generated);
});

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

test('web/ imports nothing from the server side: only packages and its own files', () => {
  const web = resolve(__dirname, '..', '..', 'web', 'src');
  const outside: string[] = [];
  for (const file of files(web)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/from\s+'(\.[^']+)'/g)) {
      const target = resolve(dirname(file), m[1]!);
      if (relative(web, target).startsWith('..')) outside.push(`${relative(web, file)} → ${m[1]}`);
    }
  }
  expect(outside).toEqual([]);
});
