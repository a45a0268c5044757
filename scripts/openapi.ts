/**
 * The console's API client types, generated from the route table without a running server:
 * `npx tsx scripts/openapi.ts` writes web/src/api/schema.d.ts (openapi-typescript). A unit test
 * (test/web/openapi.test.ts) fails when the committed file differs from what this produces.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROUTES } from '../api/app';
import { openApiDocument } from '../api/openapi';

export const SCHEMA_PATH = join(__dirname, '..', 'web', 'src', 'api', 'schema.d.ts');

const VERSION = (
  JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }
).version;

export function currentDocument(): Record<string, unknown> {
  return openApiDocument(ROUTES, VERSION);
}

/** The TypeScript of the current OpenAPI document, as committed. */
export async function generateSchemaTypes(): Promise<string> {
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const ast = await openapiTS(currentDocument() as never, { alphabetize: true });
  return (
    "/**\n * Generated from the API's route table by scripts/openapi.ts (openapi-typescript). Do not edit:\n" +
    ' * run `npm run openapi` after changing a route.\n */\n\n' +
    astToString(ast)
  );
}

if (require.main === module) {
  generateSchemaTypes()
    .then((ts) => {
      // --stdout: for the staleness test, which runs this in a child process (openapi-typescript is ESM).
      if (process.argv.includes('--stdout')) return void process.stdout.write(ts);
      writeFileSync(SCHEMA_PATH, ts);
      console.log(`wrote ${SCHEMA_PATH}`);
    })
    .catch((e: Error) => {
      console.error(e);
      process.exit(1);
    });
}
