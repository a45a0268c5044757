/**
 * The console's API types are generated from the route table (scripts/openapi.ts): this fails when
 * a route changed and `npm run openapi` was not run, so the console cannot drift from the API.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { generateSchemaTypes, SCHEMA_PATH } from '../../scripts/openapi';

test('web/src/api/schema.d.ts is what the current route table generates (run `npm run openapi`)', async () => {
  expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(await generateSchemaTypes());
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
