/**
 * POST /v1/classify/batch: many pages in one request, each result as /v1/classify gives it, and a
 * bad page reported in its own result without failing the others.
 */
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { SEED_DIR, testApp } from '../helpers/app';

const seedText = fs.readFileSync(path.join(SEED_DIR, 'page.txt'), 'utf8');

describe('POST /v1/classify/batch', () => {
  test('each page gets exactly the result a single request gives, in order, with its id', async () => {
    const { app } = testApp();
    const pages = [
      { id: 'seed', text: seedText },
      { id: 'small', blocks: ['Home News Sport', 'The council approved the budget on Tuesday after a long debate.'] },
      { text: 'Subscribe for unlimited access' },
    ];
    const res = await request(app).post('/v1/classify/batch').send({ pages }).expect(200);
    expect(res.body.results).toHaveLength(3);
    for (const [i, page] of pages.entries()) {
      const single = await request(app).post('/v1/classify').send(page).expect(200);
      const { model, ...rest } = single.body;
      expect(res.body.results[i]).toEqual(rest);
      expect(res.body.model).toEqual(model);
    }
  });

  test('a bad page is reported in its own result, with the status and code a single request would get; the others are classified', async () => {
    const { app } = testApp({ maxBlocks: 3 });
    const res = await request(app).post('/v1/classify/batch').send({ pages: [
      { id: 'ok', text: 'Home\nThe council approved the budget on Tuesday.' },
      { id: 'both', text: 'a', blocks: ['b'] },
      { id: 'long', text: 'a\nb\nc\nd' },
      'not a page',
      { id: 'ok2', blocks: ['Sponsored content'] },
    ] }).expect(200);
    const [ok, both, long, notPage, ok2] = res.body.results;
    expect(ok.blocks).toHaveLength(2);
    expect(both).toEqual({ id: 'both', error: { status: 400, code: 'invalid_field', message: expect.stringContaining('either "text" or "blocks"'), details: { field: 'text' } } });
    expect(long.error).toMatchObject({ status: 413, code: 'too_many_blocks' });
    expect(notPage).toMatchObject({ id: null, error: { status: 400, code: 'invalid_field' } });
    expect(ok2.blocks).toHaveLength(1);
  });

  test.each([
    ['a body without pages', { text: 'x' }, 400, 'invalid_field'],
    ['pages that are not an array', { pages: 'x' }, 400, 'invalid_field'],
    ['more pages than MAX_BATCH_PAGES', { pages: Array.from({ length: 4 }, () => ({ text: 'x' })) }, 413, 'too_many_blocks'],
  ])('%s fails the whole request', async (_name, body, status, code) => {
    const { app } = testApp({ maxBatchPages: 3 });
    const res = await request(app).post('/v1/classify/batch').send(body).expect(status as number);
    expect(res.body.error.code).toBe(code);
  });

  test('an empty batch is an empty result', async () => {
    const { app } = testApp();
    expect((await request(app).post('/v1/classify/batch').send({ pages: [] }).expect(200)).body.results).toEqual([]);
  });
});
