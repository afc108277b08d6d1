/**
 * @module http/validate
 * Checks request bodies against the schemas of the API document (http/openapi.ts) with ajv, and
 * turns the first problem into an `invalid_field` error that names the field in the caller's terms
 * ("pages[0].blocks[2].label") and says what was expected and what was found.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import { PagesiftError, describeValue } from '../errors';
import { OPENAPI } from './openapi';

export type RequestSchema = 'ClassifyRequest' | 'BatchRequest' | 'ExamplesRequest' | 'RetrainRequest';

// verbose: errors carry the failing value and schema, for "found ..." and `x-rule`.
// strictSchema is off only because the document's root (openapi, info, paths) is not a schema;
// the schemas themselves are compiled on load, so a broken one fails at start, not on a request.
const ajv = new Ajv2020({ verbose: true, strictSchema: false, allowUnionTypes: true });
ajv.addSchema(OPENAPI, 'openapi.json');

/** A schema of the document by name; compiled once, at load. */
export function schemaValidator(name: string): ValidateFunction {
  const validate = ajv.getSchema(`openapi.json#/components/schemas/${name}`);
  if (!validate) throw new Error(`the API document has no schema "${name}"`);
  return validate;
}

const VALIDATORS = new Map<RequestSchema, ValidateFunction>(
  (['ClassifyRequest', 'ExamplesRequest', 'RetrainRequest'] as const).map((n) => [n, schemaValidator(n)]),
);

/**
 * A batch's pages are checked one by one (a bad page is its own result), so its envelope is checked
 * against BatchRequest without the items rule.
 */
const batch = OPENAPI.components.schemas.BatchRequest as { properties: { pages: Record<string, unknown> } };
VALIDATORS.set('BatchRequest', ajv.compile({ ...batch, properties: { pages: { ...batch.properties.pages, items: true } } }));

/** "/pages/0/blocks/2" -> "pages[0].blocks[2]"; the root is "(body)". */
function fieldName(pointer: string): string {
  if (pointer === '') return '(body)';
  return pointer.slice(1).split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((name, part) => (/^\d+$/.test(part) ? `${name}[${part}]` : name === '' ? part : `${name}.${part}`), '');
}

const TYPE_WORDS: Record<string, string> = { string: 'a string', array: 'an array', object: 'a JSON object', boolean: 'true or false', integer: 'an integer', number: 'a number', null: 'null' };

function describeProblem(error: ErrorObject): { field: string; message: string } {
  const field = fieldName(error.instancePath);
  const subject = field === '(body)' ? 'the body' : `"${field}"`;
  const rule = (error.parentSchema as Record<string, unknown> | undefined)?.['x-rule'];
  const found = `found ${describeValue(error.data)}`;
  const isObject = typeof error.data === 'object' && error.data !== null && !Array.isArray(error.data);
  // ajv runs oneOf before type, and `required` passes on a non-object: say what the body should be.
  const keyword = error.keyword === 'oneOf' && !isObject ? 'type' : error.keyword;
  switch (keyword) {
    case 'oneOf': {
      // Every oneOf in the document is "exactly one of these properties".
      const branches = error.schema as { required: string[] }[];
      const names = branches.map((b) => `"${b.required[0]}"`);
      const first = branches[0]?.required[0] ?? '';
      const both = error.params.passingSchemas !== null;
      return {
        field: field === '(body)' ? first : `${field}.${first}`,
        message: both ? `send either ${names.join(' or ')}, not both` : `${subject} must have ${names.join(' or ')}`,
      };
    }
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      return { field: field === '(body)' ? missing : `${field}.${missing}`, message: `${subject} must have "${missing}"` };
    }
    case 'dependentRequired': {
      const { property, missingProperty } = error.params as { property: string; missingProperty: string };
      const name = field === '(body)' ? missingProperty : `${field}.${missingProperty}`;
      return { field: name, message: `${subject} must have "${missingProperty}" when it has "${property}"` };
    }
    default:
      if (typeof rule === 'string') return { field, message: `${subject} must be ${rule}, ${found}` };
      if (error.keyword === 'type') return { field, message: `${subject} must be ${TYPE_WORDS[String(error.params.type)] ?? String(error.params.type)}, ${found}` };
      return { field, message: `${subject} ${error.message ?? 'is not valid'}, ${found}` };
  }
}

/** The body as the named schema's type, or an invalid_field error naming the first bad field. */
export function validateBody<T>(schema: RequestSchema, body: unknown): T {
  const validate = VALIDATORS.get(schema) as ValidateFunction;
  if (validate(body)) return body as T;
  const errors = validate.errors as ErrorObject[];
  // A failed oneOf also lists why each of its branches failed; the oneOf itself says it best.
  const { field, message } = describeProblem(errors.find((e) => e.keyword === 'oneOf') ?? errors[0] as ErrorObject);
  throw new PagesiftError('invalid_field', message, { details: { field } });
}
