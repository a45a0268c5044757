/** OpenAPI 3.1 from the route table: the same zod schemas that validate requests. */
import { z } from 'zod';
import { PROBLEM_TYPES } from './problems';
import type { RouteSpec } from './route';
import { problem } from './schemas';

type Json = Record<string, unknown>;

/** Named schemas (zod `.meta({ id })`), lifted from each schema's `$defs` into components.schemas. */
let components: Record<string, Json> = {};

/** `#/$defs/X` is relative to the embedded schema; OpenAPI tools resolve refs from the document root. */
function liftDefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(liftDefs);
  if (!value || typeof value !== 'object') return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value as Json)) {
    if (k === '$defs') {
      for (const [name, def] of Object.entries(v as Json)) components[name] = liftDefs(def) as Json;
    } else if (k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')) {
      out[k] = `#/components/schemas/${v.slice('#/$defs/'.length)}`;
    } else out[k] = liftDefs(v);
  }
  return out;
}

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    reused: 'inline',
  }) as Json;
  return liftDefs(rest) as Json;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (!schema || !(schema instanceof z.ZodObject)) return [];
  const json = schemaOf(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: s,
  }));
}

export function openApiDocument(routes: readonly RouteSpec[], version: string): Json {
  const paths: Record<string, Json> = {};
  components = {};
  for (const r of routes) {
    const path = r.path.replace(/:(\w+)/g, '{$1}');
    const common: Record<number, { description: string; schema?: z.ZodType }> =
      r.roles === 'public'
        ? {}
        : {
            400: { description: PROBLEM_TYPES.validation.title, schema: problem },
            401: { description: PROBLEM_TYPES.unauthorized.title, schema: problem },
            403: { description: PROBLEM_TYPES.forbidden.title, schema: problem },
            429: { description: PROBLEM_TYPES.rate_limited.title, schema: problem },
          };
    const responses = Object.fromEntries(
      Object.entries({ ...common, ...r.responses }).map(([status, resp]) => [
        status,
        {
          description: resp.description,
          ...(resp.schema && {
            content: {
              [Number(status) >= 400
                ? 'application/problem+json'
                : ((resp as { contentType?: string }).contentType ?? 'application/json')]: {
                schema: schemaOf(resp.schema, 'output'),
              },
            },
          }),
        },
      ]),
    );
    paths[path] = {
      ...(paths[path] ?? {}),
      [r.method]: {
        tags: [r.tag],
        summary: r.summary,
        ...(r.description && { description: r.description }),
        operationId: `${r.method}${r.path.replace(/[/:-](\w)/g, (_, c: string) => c.toUpperCase()).replace(/[^\w]/g, '')}`,
        ...(r.roles === 'public'
          ? { security: [] }
          : Array.isArray(r.roles)
            ? { 'x-roles': r.roles.length ? r.roles : ['admin'] }
            : {}),
        // Whose data it touches (api/route.ts): shared, global (keys without an organisation), organization, own.
        'x-scope': r.scope.kind,
        parameters: [...parameters(r.params, 'path'), ...parameters(r.query, 'query')],
        ...(r.body && {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schemaOf(r.body, 'input') } },
          },
        }),
        responses,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'reglament: операторский API',
      version,
      description:
        'Служба поддержки по регламентам (seed 000 «Социальный процессинг», seed 003 СП РПГУ ↔ СП ЕПГУ). Ошибки — RFC 9457 problem+json ' +
        'с понятным оператору полем detail и стабильным type. Аутентификация: заголовок Authorization: Bearer <ключ API> ' +
        '(`reglament keys create`). Роли — в x-roles каждой операции; admin может всё. Область — в x-scope: shared (одинаково для всех), ' +
        'global (данные всей установки: только ключ без организации), organization (ключ организации видит только свою), own (свой ключ).',
    },
    servers: [{ url: '/' }],
    security: [{ apiKey: [] }],
    components: {
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'Ключ вида rgl_<id>_<secret>' },
      },
    },
    paths,
  };
}
