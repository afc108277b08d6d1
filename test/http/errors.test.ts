import request from 'supertest';
import { testApp } from '../helpers/app';

describe('bad input gets a JSON error with the right status, never a 5xx', () => {
  const { app } = testApp({ maxBodyBytes: 4096, maxBlocks: 5 });

  test.each([
    ['malformed JSON', '{"text": "abc', 'application/json', 400, 'invalid_json', /not valid JSON/],
    ['a JSON string body', '"just a string"', 'application/json', 400, 'invalid_field', /JSON object/],
    ['a JSON array body', '["a"]', 'application/json', 400, 'invalid_field', /JSON object/],
    ['null', 'null', 'application/json', 400, 'invalid_field', /JSON object/],
    ['neither text nor blocks', '{"page": "x"}', 'application/json', 400, 'invalid_field', /"text".*"blocks"/],
    ['both text and blocks', '{"text": "a", "blocks": ["a"]}', 'application/json', 400, 'invalid_field', /not both/],
    ['text of the wrong type', '{"text": 5}', 'application/json', 400, 'invalid_field', /"text" must be a string/],
    ['blocks of the wrong type', '{"blocks": "a\\nb"}', 'application/json', 400, 'invalid_field', /"blocks" must be an array/],
    ['a block that is not a string', '{"blocks": ["a", 7]}', 'application/json', 400, 'invalid_field', /"blocks\[1\]" must be a string/],
    ['an id that is not a string', '{"text": "a", "id": 12}', 'application/json', 400, 'invalid_field', /"id" must be a string/],
    ['more blocks than MAX_BLOCKS', '{"blocks": ["a","b","c","d","e","f"]}', 'application/json', 413, 'too_many_blocks', /6 blocks; at most 5/],
    ['more lines than MAX_BLOCKS', JSON.stringify({ text: 'a\nb\nc\nd\ne\nf\ng' }), 'application/json', 413, 'too_many_blocks', /MAX_BLOCKS/],
    ['a body over MAX_BODY_BYTES', JSON.stringify({ text: 'x'.repeat(5000) }), 'application/json', 413, 'payload_too_large', /MAX_BODY_BYTES/],
    ['a text/plain body over MAX_BODY_BYTES', 'y'.repeat(5000), 'text/plain', 413, 'payload_too_large', /MAX_BODY_BYTES/],
    ['an unsupported content type', '<p>hi</p>', 'text/html', 415, 'unsupported_media_type', /text\/html/],
    ['form data', 'text=abc', 'application/x-www-form-urlencoded', 415, 'unsupported_media_type', /not supported/],
    ['an unsupported charset', '{"text":"a"}', 'application/json; charset=klingon', 415, 'unsupported_media_type', /charset/],
  ])('%s', async (_name, body, type, status, code, message) => {
    const res = await request(app).post('/v1/classify').set('Content-Type', type).send(body);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(message);
    expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack trace
  });

  test('a body that does not decode (bad gzip) is a 400, not a 5xx', async () => {
    const res = await request(app).post('/v1/classify').set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send('not gzip at all');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_body');
    expect(res.body.error.message).toMatch(/could not be read/);
  });

  test('an unknown content encoding is a 415', async () => {
    const res = await request(app).post('/v1/classify').set('Content-Type', 'application/json').set('Content-Encoding', 'klingon').send('{"text":"a"}');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });

  test('a body without a content type is a 415', async () => {
    const res = await request(app).post('/v1/classify').send(Buffer.from('{"text":"a"}'));
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('unsupported_media_type');
  });

  test('an unknown route is a JSON 404', async () => {
    const res = await request(app).get('/v2/nothing').expect(404);
    expect(res.body.error).toEqual({ code: 'not_found', message: 'no route for GET /v2/nothing' });
  });

  test('a known route with the wrong method is a JSON 405 with Allow', async () => {
    const res = await request(app).get('/v1/classify').expect(405);
    expect(res.headers.allow).toBe('POST');
    expect(res.body.error.code).toBe('method_not_allowed');
  });

  test('the field at fault is named in the details', async () => {
    const res = await request(app).post('/v1/classify').send({ blocks: ['a', null] }).expect(400);
    expect(res.body.error.details).toEqual({ field: 'blocks[1]' });
  });

  test('the service keeps answering after every bad request', async () => {
    await request(app).post('/v1/classify').set('Content-Type', 'application/json').send('{{{').expect(400);
    await request(app).get('/health').expect(200, { status: 'ok' });
  });
});

describe('hostile lines are answered, not hung on', () => {
  const { app } = testApp({ maxBodyBytes: 8 * 1024 * 1024, maxBlocks: 100 });

  // Each of these once took quadratic time in a feature regex; jest's timeout guards against a hang.
  test.each([
    ['300,000 "{{"', '{{'.repeat(300_000)],
    ['one "(" before 200,000 credit words', `(${'photo '.repeat(200_000)}`],
    ['a million dots', '.'.repeat(1_000_000)],
    ['a million "©"', '©'.repeat(1_000_000)],
  ])('%s', async (_name, line) => {
    const res = await request(app).post('/v1/classify').set('Content-Type', 'text/plain').send(line).expect(200);
    expect(res.body.blocks).toHaveLength(1);
  });
});
