/**
 * The admin surface through HTTP: who may teach the service, and how examples are accepted:
 * validated whole, stored durably, never twice.
 */
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { ADMIN_TOKEN, adminApp, smallCorpus, testApp } from '../helpers/app';

const bearer = `Bearer ${ADMIN_TOKEN}`;
const corpus = smallCorpus(10);
const stored = (dataDir: string): Record<string, unknown>[] => {
  const file = path.join(dataDir, 'examples.jsonl');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) : [];
};

describe('the admin token', () => {
  const routes: [string, string][] = [['post', '/v1/examples'], ['post', '/v1/retrain'], ['get', '/v1/retrain/some-id'], ['get', '/v1/model/versions'], ['post', '/v1/model/rollback']];

  test.each(routes)('without ADMIN_TOKEN, %s %s answers 403 "retraining disabled", and classifying still works', async (method, url) => {
    const { app } = testApp();
    const res = await (request(app) as any)[method](url).set('authorization', bearer).send({ examples: [{ text: 'x', label: 'content' }] }).expect(403);
    expect(res.body.error).toEqual({ code: 'retraining_disabled', message: expect.stringContaining('retraining disabled') });
    await request(app).post('/v1/classify').send({ text: 'Hello' }).expect(200);
  });

  test.each(routes)('%s %s without a token, or with a wrong one, is 401', async (method, url) => {
    const { app } = adminApp({ trainingDataDir: corpus });
    const none = await (request(app) as any)[method](url).expect(401);
    expect(none.body.error.code).toBe('unauthorized');
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    const wrong = await (request(app) as any)[method](url).set('authorization', `Bearer ${ADMIN_TOKEN}x`).expect(401);
    expect(wrong.body.error.message).toMatch(/wrong/);
  });

  test('neither the token nor example text reaches the log', async () => {
    const { app, log } = adminApp({ trainingDataDir: corpus });
    await request(app).post('/v1/examples').set('authorization', bearer).send({ examples: [{ text: 'A very private sentence about nobody', label: 'content' }] }).expect(201);
    await request(app).post('/v1/examples').set('authorization', 'Bearer not-the-token-at-all').send({}).expect(401);
    const text = JSON.stringify(log.lines);
    expect(log.lines.length).toBeGreaterThan(0);
    expect(text).not.toContain(ADMIN_TOKEN);
    expect(text).not.toContain('not-the-token-at-all');
    expect(text).not.toContain('private sentence');
  });
});

describe('POST /v1/examples', () => {
  test('loose examples are stored on disk before the 201, and counted', async () => {
    const { app, dataDir } = adminApp({ trainingDataDir: corpus });
    const res = await request(app).post('/v1/examples').set('authorization', bearer)
      .send({ examples: [{ text: 'Great piece, thanks', label: 'comment' }, { text: 'Reply', label: 'comment' }] }).expect(201);
    expect(res.body).toEqual({ stored: true, duplicate: false, batch: 1, pages: 2, blocks: 2, total: { batches: 1, blocks: 2 } });
    const [record] = stored(dataDir);
    expect(record).toMatchObject({ seq: 1, key: null, pages: [{ blocks: [{ text: 'Great piece, thanks', label: 'comment' }] }, { blocks: [{ text: 'Reply', label: 'comment' }] }] });
  });

  test('labelled pages in the training-data format are stored as pages', async () => {
    const { app, dataDir } = adminApp({ trainingDataDir: corpus });
    const page = { id: 'p1', lang: 'en', blocks: [{ text: 'Home', label: 'navigation' }, { text: 'The council met on Tuesday.', label: 'content' }] };
    // The page flags go with a page, to teach the page verdict on the next retrain.
    const walled = { id: 'p2', wall: true, truncated: false, blocks: [{ text: 'The council met on Tuesday.', label: 'content' }, { text: '1 free article left', label: 'paywall' }] };
    await request(app).post('/v1/examples').set('authorization', bearer).send({ pages: [page, walled] }).expect(201);
    expect(stored(dataDir)[0]).toMatchObject({ pages: [page, walled] });
  });

  test('a retry with the same Idempotency-Key, or the same content, is not stored twice', async () => {
    const { app, dataDir } = adminApp({ trainingDataDir: corpus });
    const body = { examples: [{ text: 'Sponsored by Acme', label: 'sponsored' }] };
    await request(app).post('/v1/examples').set('authorization', bearer).set('idempotency-key', 'batch-7').send(body).expect(201);
    const again = await request(app).post('/v1/examples').set('authorization', bearer).set('idempotency-key', 'batch-7').send(body).expect(200);
    expect(again.body).toMatchObject({ stored: false, duplicate: true, batch: 1 });
    await request(app).post('/v1/examples').set('authorization', bearer).send(body).expect(200);
    expect(stored(dataDir)).toHaveLength(1);
  });

  test('the same Idempotency-Key with other content is a 409, and stores nothing', async () => {
    const { app, dataDir } = adminApp({ trainingDataDir: corpus });
    await request(app).post('/v1/examples').set('authorization', bearer).set('idempotency-key', 'k1').send({ examples: [{ text: 'One', label: 'icon' }] }).expect(201);
    const res = await request(app).post('/v1/examples').set('authorization', bearer).set('idempotency-key', 'k1').send({ examples: [{ text: 'Two', label: 'icon' }] }).expect(409);
    expect(res.body.error.code).toBe('conflict');
    expect(stored(dataDir)).toHaveLength(1);
  });

  test('concurrent batches are all stored, each once, on whole lines', async () => {
    const { app, dataDir } = adminApp({ trainingDataDir: corpus });
    const sends = Array.from({ length: 20 }, (_, i) => request(app).post('/v1/examples').set('authorization', bearer).send({ examples: [{ text: `Example number ${i}`, label: 'content' }] }));
    const statuses = (await Promise.all(sends)).map((r) => r.status);
    expect(statuses.every((s) => s === 201)).toBe(true);
    const records = stored(dataDir);
    expect(records.map((r) => r.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(records.map((r) => JSON.stringify(r.pages))).size).toBe(20);
  });

  test.each([
    ['a label with capitals', { examples: [{ text: 'ok', label: 'Content' }] }, 'examples[0].label'],
    ['a label of 65 characters', { examples: [{ text: 'ok', label: 'a'.repeat(65) }] }, 'examples[0].label'],
    ['an empty text', { examples: [{ text: 'ok', label: 'icon' }, { text: '  ', label: 'icon' }] }, 'examples[1].text'],
    ['a text over MAX_EXAMPLE_CHARS', { examples: [{ text: 'x'.repeat(301), label: 'icon' }] }, 'examples[0].text'],
    ['a text with a line break', { examples: [{ text: 'a\nb', label: 'icon' }] }, 'examples[0].text'],
    ['more blocks than MAX_EXAMPLES_PER_REQUEST', { examples: Array.from({ length: 51 }, (_, i) => ({ text: `t${i}`, label: 'icon' })) }, 'examples'],
    ['both pages and examples', { pages: [], examples: [] }, 'pages'],
    ['neither', { something: 1 }, 'pages'],
    ['a page without blocks', { pages: [{ id: 'a', blocks: [] }] }, 'pages[0].blocks'],
    ['two pages with one id', { pages: [{ id: 'a', blocks: [{ text: 'x', label: 'icon' }] }, { id: 'a', blocks: [{ text: 'y', label: 'icon' }] }] }, 'pages[1].id'],
    ['a block that is not an object', { pages: [{ id: 'a', blocks: ['text'] }] }, 'pages[0].blocks[0]'],
    ['a page cut off without a wall', { pages: [{ id: 'a', wall: false, truncated: true, blocks: [{ text: 'x', label: 'icon' }] }] }, 'pages[0].wall'],
    ['a wall flag without its truncated flag', { pages: [{ id: 'a', wall: true, blocks: [{ text: 'x', label: 'icon' }] }] }, 'pages[0].truncated'],
  ])('%s is a 400 naming the field, and nothing of the request is stored', async (_name, body, field) => {
    const { app, dataDir } = adminApp({ trainingDataDir: corpus });
    const res = await request(app).post('/v1/examples').set('authorization', bearer).send(body).expect(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_field', details: { field } });
    expect(stored(dataDir)).toHaveLength(0);
  });

  test('an unusable Idempotency-Key is a 400', async () => {
    const { app } = adminApp({ trainingDataDir: corpus });
    const res = await request(app).post('/v1/examples').set('authorization', bearer).set('idempotency-key', 'has spaces in it').send({ examples: [{ text: 'x', label: 'icon' }] }).expect(400);
    expect(res.body.error.details.field).toBe('Idempotency-Key');
  });
});
