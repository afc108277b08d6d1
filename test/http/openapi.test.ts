/**
 * The API document against the service it describes: every documented example is sent, and every
 * answer (successes and errors alike) must match the shape documented for its operation and status.
 * The document is read from GET /openapi.json, so what is checked is what clients get.
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import request from 'supertest';
import type { Response } from 'supertest';
import { ADMIN_TOKEN, adminApp, smallCorpus, testApp } from '../helpers/app';

type Json = Record<string, any>;
const bearer = `Bearer ${ADMIN_TOKEN}`;
const { app } = adminApp({ trainingDataDir: smallCorpus(12) });
let doc: Json;
let ajv: Ajv2020;

beforeAll(async () => {
  const res = await request(app).get('/openapi.json').expect(200).expect('content-type', /application\/json/);
  doc = res.body as Json;
  ajv = new Ajv2020({ strictSchema: false, allowUnionTypes: true });
  ajv.addSchema(doc, 'openapi.json');
});

/** A JSON pointer into the document, as ajv wants it. */
const pointer = (...parts: string[]): string => `openapi.json#/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

function responseValidator(path: string, method: string, status: number): ValidateFunction {
  const documented = doc.paths[path][method].responses[String(status)];
  if (!documented) throw new Error(`${method.toUpperCase()} ${path} answered ${status}, which is not documented (documented: ${Object.keys(doc.paths[path][method].responses).join(', ')})`);
  const validate = ajv.getSchema(pointer('paths', path, method, 'responses', String(status), 'content', 'application/json', 'schema'));
  if (!validate) throw new Error(`no JSON schema for ${method} ${path} ${status}`);
  return validate;
}

/** The response's status is documented for the operation and its body has the documented shape. */
function expectDocumented(path: string, method: string, res: Response): void {
  const body = res.body as Json;
  const validate = responseValidator(path, method, res.status);
  if (!validate(body)) throw new Error(`${method.toUpperCase()} ${path} ${res.status} does not match the document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 400)}`);
  if (res.status >= 400) expect(body.requestId).toBe(res.headers['x-request-id']);
}

function send(method: string, url: string, admin: boolean) {
  const req = (request(app) as any)[method](url);
  return admin ? req.set('authorization', bearer) : req;
}

const isAdmin = (op: Json): boolean => Array.isArray(op.security);

async function waitForJob(id: string): Promise<Json> {
  for (let i = 0; i < 600; i += 1) {
    const res = await send('get', `/v1/retrain/${id}`, true);
    expectDocumented('/v1/retrain/{id}', 'get', res);
    if (res.body.state !== 'running') return res.body as Json;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`retrain job ${id} did not finish`);
}

describe('the API document', () => {
  test('is OpenAPI 3.1, and every reference in it resolves', () => {
    expect(doc.openapi).toBe('3.1.0');
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of new Set(refs)) {
      const target = ref.slice(8, -1);
      expect(ajv.getSchema(`openapi.json${target}`)).toBeDefined();
    }
  });

  test('every documented request example is answered with a documented success and shape', async () => {
    let sent = 0;
    for (const [path, operations] of Object.entries(doc.paths as Json)) {
      for (const [method, op] of Object.entries(operations as Json)) {
        for (const [type, media] of Object.entries((op.requestBody?.content ?? {}) as Json)) {
          for (const [name, example] of Object.entries((media.examples ?? {}) as Json)) {
            const body = type === 'application/json' ? JSON.stringify(example.value) : example.value;
            const res = await send(method, path, isAdmin(op)).set('content-type', type).send(body);
            if (res.status >= 300) throw new Error(`example ${name} of ${method} ${path} (${type}) answered ${res.status}: ${JSON.stringify(res.body)}`);
            expectDocumented(path, method, res);
            if (path === '/v1/retrain') expect((await waitForJob(res.body.id)).state).not.toBe('failed');
            sent += 1;
          }
        }
      }
    }
    expect(sent).toBeGreaterThanOrEqual(8);
  });

  test('operations without a body answer in their documented shape', async () => {
    const job = (await send('post', '/v1/retrain', true).expect(202)).body as Json;
    await waitForJob(job.id);
    const gets: [string, string][] = [['/health', '/health'], ['/ready', '/ready'], ['/v1/model', '/v1/model'], ['/v1/model/versions', '/v1/model/versions'], ['/v1/retrain/{id}', `/v1/retrain/${job.id}`]];
    for (const [path, url] of gets) expectDocumented(path, 'get', await send('get', url, true).expect(200));
    // Two retrains have made two versions, so there is one to roll back to.
    expectDocumented('/v1/model/rollback', 'post', await send('post', '/v1/model/rollback', true).expect(200));
    await send('get', '/metrics', false).expect(200).expect('content-type', /text\/plain/);
    await send('get', '/', false).expect(200).expect('content-type', /text\/html/);
  });

  test('every documented path and method is served', async () => {
    for (const [path, operations] of Object.entries(doc.paths as Json)) {
      for (const method of Object.keys(operations as Json)) {
        const res = await send(method, path.replace('{id}', 'no-such-job'), true);
        expect({ route: `${method} ${path}`, code: res.body?.error?.code }).not.toEqual({ route: expect.any(String), code: 'method_not_allowed' });
        if (res.status === 404) expect(res.body.error.message).not.toMatch(/no route/);
      }
    }
  });

  test.each([
    ['text of the wrong type', '/v1/classify', 'post', false, '{"text": 5}', 'application/json', 400],
    ['both text and blocks', '/v1/classify', 'post', false, '{"text": "a", "blocks": ["a"]}', 'application/json', 400],
    ['malformed JSON', '/v1/classify', 'post', false, '{"text": ', 'application/json', 400],
    ['HTML', '/v1/classify', 'post', false, '<p>hi</p>', 'text/html', 415],
    ['a wrong method', '/v1/classify', 'put', false, '{}', 'application/json', 405],
    ['more blocks than MAX_BLOCKS', '/v1/classify', 'post', false, JSON.stringify({ blocks: new Array(5001).fill('a') }), 'application/json', 413],
    ['pages that are not an array', '/v1/classify/batch', 'post', false, '{"pages": "x"}', 'application/json', 400],
    ['a label with capitals', '/v1/examples', 'post', true, '{"examples": [{"text": "ok", "label": "Content"}]}', 'application/json', 400],
    ['a block that is not an object', '/v1/examples', 'post', true, '{"pages": [{"id": "a", "blocks": ["x"]}]}', 'application/json', 400],
    ['no admin token', '/v1/examples', 'post', false, '{}', 'application/json', 401],
    ['force that is not a boolean', '/v1/retrain', 'post', true, '{"force": "yes"}', 'application/json', 400],
    ['an unknown job', '/v1/retrain/{id}', 'get', true, '', 'application/json', 404],
  ])('%s: %s %s answers a documented error', async (_name, path, method, admin, body, type, status) => {
    const url = path.replace('{id}', 'no-such-job');
    const res = await send(method, url, admin).set('content-type', type).send(body);
    expect(res.status).toBe(status);
    // A 405 is documented for every operation; check it against the operation the path does serve.
    expectDocumented(path, method === 'put' ? 'post' : method, res);
  });

  test('without ADMIN_TOKEN the admin operations answer their documented 403', async () => {
    const { app: plain } = testApp();
    const res = await request(plain).post('/v1/examples').send({ examples: [{ text: 'x', label: 'icon' }] });
    expect(res.status).toBe(403);
    expectDocumented('/v1/examples', 'post', res);
  });

  test('request bodies are checked against the document: a field it forbids is refused with its name', async () => {
    const label = doc.components.schemas.Label;
    expect(label.pattern).toBeDefined();
    const res = await send('post', '/v1/examples', true).send({ examples: [{ text: 'fine', label: 'constructor' }] }).expect(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_field', details: { field: 'examples[0].label' } });
  });
});
