import { type INestApplication } from '@nestjs/common';
import { Ajv, type ValidateFunction } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import { type IncomingMessage, type ServerResponse } from 'node:http';

/*
 * OpenAPI conformance of real answers: every response an end-to-end test receives is checked against
 * the document the service serves at /api/docs-json, for the operation and the status it answered.
 *
 * The document is OpenAPI 3.0; ajv speaks JSON Schema. `toJsonSchema` below is the adapter: `nullable`
 * becomes `anyOf [schema, null]` (also around NestJS's `{nullable, allOf: [$ref]}`, which converters such
 * as @openapi-contrib/openapi-schema-to-json-schema turn into a schema that refuses null), annotations
 * JSON Schema does not know (`example`) are dropped, `#/components/schemas/X` points into one shared
 * schema, and every object with declared properties is closed (`additionalProperties: false`), so a
 * field the document does not declare is a failure, as is a declared required field that is missing.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface OpenApiResponse {
  readonly description?: string;
  readonly content?: Record<string, { schema?: JsonObject }>;
}
interface OpenApiOperation {
  readonly operationId?: string;
  readonly security?: readonly Record<string, readonly string[]>[];
  readonly responses: Record<string, OpenApiResponse>;
}
export interface OpenApiDocument {
  readonly openapi: string;
  readonly paths: Record<string, Record<string, OpenApiOperation>>;
  readonly components?: { readonly schemas?: Record<string, JsonObject> };
}

/** One answer as the client received it. */
export interface RecordedResponse {
  readonly method: string;
  /** The request path, without the query. */
  readonly path: string;
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: Buffer;
}

const COMPONENTS_ID = 'openapi-components';
const ANNOTATIONS_JSON_SCHEMA_LACKS = new Set(['nullable', 'example', 'xml', 'externalDocs', 'discriminator']);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions']);
const KEEP_AS_IS = new Set(['enum', 'required', 'const', 'default', 'examples']);

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** An OpenAPI 3.0 Schema Object as JSON Schema (draft-07, ajv's default), closed where it declares properties. */
function toJsonSchema(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(toJsonSchema);
  if (!isObject(schema)) return schema;
  const converted: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS_JSON_SCHEMA_LACKS.has(key)) continue;
    if (key === '$ref' && typeof value === 'string') converted.$ref = value.replace('#/components/schemas/', `${COMPONENTS_ID}#/definitions/`);
    else if (SCHEMA_MAPS.has(key) && isObject(value)) converted[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, toJsonSchema(sub)]));
    else if (KEEP_AS_IS.has(key)) converted[key] = value;
    else converted[key] = toJsonSchema(value);
  }
  if (isObject(converted.properties) && converted.additionalProperties === undefined) converted.additionalProperties = false;
  return schema.nullable === true ? { anyOf: [converted, { type: 'null' }] } : converted;
}

/** Converts an OpenAPI path template (`/api/orders/{id}`) into a matcher of request paths. */
function pathMatcher(template: string): RegExp {
  const pattern = template
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`);
}

/** The served document's answer to "is this response one the document describes?". */
export class OpenApiConformance {
  private readonly ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly routes: readonly { template: string; matcher: RegExp; parameters: number }[];
  private readonly errorSchema: Json = { $ref: '#/components/schemas/ApiErrorView' };

  constructor(readonly document: OpenApiDocument) {
    // ajv-formats is CommonJS: its plugin is the module's `default` (under jest's ESM too).
    (ajvFormats.default as unknown as (ajv: Ajv) => Ajv)(this.ajv);
    const definitions = Object.fromEntries(Object.entries(document.components?.schemas ?? {}).map(([name, schema]) => [name, toJsonSchema(schema)]));
    this.ajv.addSchema({ $id: COMPONENTS_ID, definitions });
    this.routes = Object.keys(document.paths)
      .map((template) => ({ template, matcher: pathMatcher(template), parameters: (template.match(/\{/g) ?? []).length }))
      // A literal segment wins over a parameter (`/api/orders/export` before `/api/orders/{id}`).
      .sort((a, b) => a.parameters - b.parameters);
  }

  /** The operation a request reached, as `METHOD /template`, or undefined when the document has none. */
  operationOf(method: string, path: string): { key: string; operation: OpenApiOperation } | undefined {
    for (const route of this.routes) {
      if (!route.matcher.test(path)) continue;
      const operation = this.document.paths[route.template][method.toLowerCase()];
      if (operation) return { key: `${method.toUpperCase()} ${route.template}`, operation };
    }
    return undefined;
  }

  /** What is wrong with this response according to the document; an empty list when nothing is. */
  problems(response: RecordedResponse): string[] {
    const found = this.operationOf(response.method, response.path);
    const where = `${response.method} ${response.path} -> ${response.status}`;
    if (!found) {
      // A route the document does not describe (an unknown path, a wrong method) may only answer the error format.
      if (response.status < 400) return [`${where}: no operation in the OpenAPI document answers this`];
      return this.bodyProblems(where, response, this.errorSchema, 'error');
    }
    const documented = found.operation.responses[String(response.status)] ?? found.operation.responses[`${String(response.status)[0]}XX`] ?? found.operation.responses.default;
    if (!documented) return [`${where}: status ${response.status} is not documented for ${found.key} (documented: ${Object.keys(found.operation.responses).join(', ')})`];
    if (response.status === 204 || response.status === 304) {
      return response.body.length === 0 ? [] : [`${where}: a ${response.status} answered a body`];
    }
    const mediaType = (response.contentType ?? '').split(';')[0].trim();
    const content = documented.content?.[mediaType];
    if (!content) {
      if (response.body.length === 0) return [];
      return [`${where}: ${found.key} documents no ${mediaType || 'untyped'} body for ${response.status} (documented: ${Object.keys(documented.content ?? {}).join(', ') || 'none'})`];
    }
    if (!content.schema) return [`${where}: ${found.key} ${response.status} ${mediaType} has no schema`];
    return this.bodyProblems(where, response, content.schema, `${found.key} ${response.status}`);
  }

  private bodyProblems(where: string, response: RecordedResponse, schema: Json, cacheKey: string): string[] {
    const text = response.body.toString('utf8');
    let body: unknown = text;
    if (/json/.test(response.contentType ?? '')) {
      try {
        body = JSON.parse(text);
      } catch {
        return [`${where}: the body is not JSON: ${text.slice(0, 200)}`];
      }
    }
    const validate = this.validatorFor(cacheKey, schema);
    if (validate(body)) return [];
    const errors = (validate.errors ?? []).map((error) => `${error.instancePath || '(body)'} ${error.message}${error.params ? ` ${JSON.stringify(error.params)}` : ''}`);
    return [`${where}: the body does not match the documented schema:\n    ${errors.join('\n    ')}\n    body: ${text.slice(0, 600)}`];
  }

  private validatorFor(key: string, schema: Json): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(toJsonSchema(schema) as JsonObject);
      this.validators.set(key, validate);
    }
    return validate;
  }
}

/**
 * Records every response of the application, as sent on the wire (installed before `init`, so it wraps
 * every route; the Swagger UI and the document itself are served before it and are not recorded).
 */
export function recordResponses(app: INestApplication): RecordedResponse[] {
  const recorded: RecordedResponse[] = [];
  app.use((request: IncomingMessage & { originalUrl?: string }, response: ServerResponse, next: () => void) => {
    const chunks: Buffer[] = [];
    const write = response.write.bind(response) as (...args: unknown[]) => boolean;
    const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
    const keep = (chunk: unknown, encoding: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
    };
    response.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
      keep(chunk, encoding);
      return write(chunk, encoding, callback);
    }) as ServerResponse['write'];
    response.end = ((chunk?: unknown, encoding?: unknown, callback?: unknown) => {
      keep(chunk, encoding);
      return end(chunk, encoding, callback);
    }) as ServerResponse['end'];
    response.on('finish', () => {
      recorded.push({
        method: request.method ?? '',
        path: (request.originalUrl ?? request.url ?? '').split('?')[0] ?? '',
        status: response.statusCode,
        contentType: response.getHeader('content-type')?.toString(),
        // A HEAD or a 304 writes no body whatever the handler gave.
        body: request.method === 'HEAD' || response.statusCode === 304 ? Buffer.alloc(0) : Buffer.concat(chunks),
      });
    });
    next();
  });
  return recorded;
}

/** Paths of this service that are not API operations: the document and its UI. */
export const isDocumentationPath = (path: string) => path === '/api/docs' || path.startsWith('/api/docs/') || path.startsWith('/api/docs-');

/** Every problem of these responses against the document, one line each (with schema details under it). */
export function conformanceProblems(document: OpenApiDocument, responses: readonly RecordedResponse[]): string[] {
  const conformance = new OpenApiConformance(document);
  const problems = new Set<string>();
  for (const response of responses) {
    if (!response.path.startsWith('/api/') || isDocumentationPath(response.path)) continue;
    for (const problem of conformance.problems(response)) problems.add(problem);
  }
  return [...problems];
}
