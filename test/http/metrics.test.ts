/**
 * GET /metrics after real requests: the counts moved, by route, status, label and outcome.
 */
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { ADMIN_TOKEN, SEED_DIR, adminApp, smallCorpus, testApp } from '../helpers/app';

/** The value of one series in a Prometheus text exposition (0 when absent). */
function value(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

test('requests, pages, blocks by label, examples, retrains and the model version are counted', async () => {
  const { app, models } = adminApp({ trainingDataDir: smallCorpus(10) });
  const seed = fs.readFileSync(path.join(SEED_DIR, 'page.txt'), 'utf8');
  for (let i = 0; i < 3; i++) await request(app).post('/v1/classify').set('content-type', 'text/plain').send(seed).expect(200);
  await request(app).post('/v1/classify/batch').send({ pages: [{ text: seed }, { text: 'a', blocks: ['b'] }] }).expect(200);
  await request(app).post('/v1/classify').send({ blocks: 'no' }).expect(400);
  await request(app).get('/nowhere').expect(404);
  await request(app).post('/v1/examples').set('authorization', `Bearer ${ADMIN_TOKEN}`).send({ examples: [{ text: 'Reply', label: 'comment' }, { text: 'Like', label: 'icon' }] }).expect(201);
  // Forced: this test counts outcomes. Whether the gate would pass a model retrained on 10 pages is
  // a close call that moves with every model (test/retrain/gate.test.ts tests the gate itself).
  const started = await request(app).post('/v1/retrain').set('authorization', `Bearer ${ADMIN_TOKEN}`).send({ force: true }).expect(202);
  for (let state = 'running'; state === 'running'; await new Promise((r) => setTimeout(r, 100))) {
    state = (await request(app).get(`/v1/retrain/${started.body.id}`).set('authorization', `Bearer ${ADMIN_TOKEN}`)).body.state;
  }

  const res = await request(app).get('/metrics').expect(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain/);
  const text = res.text;
  expect(value(text, 'pagesift_http_requests_total{route="/v1/classify",method="POST",status="200"}')).toBe(3);
  expect(value(text, 'pagesift_http_requests_total{route="/v1/classify",method="POST",status="400"}')).toBe(1);
  expect(value(text, 'pagesift_http_requests_total{route="unmatched",method="GET",status="404"}')).toBe(1);
  expect(value(text, 'pagesift_http_requests_total{route="/v1/retrain/:id",method="GET",status="200"}')).toBeGreaterThan(0);
  expect(value(text, 'pagesift_pages_classified_total')).toBe(4); // 3 single, 1 good page of the batch
  expect(value(text, 'pagesift_blocks_classified_total{label="paywall"}')).toBe(4 * 28);
  expect(value(text, 'pagesift_blocks_classified_total{label="content"}')).toBe(4 * 14);
  expect(value(text, 'pagesift_classify_duration_seconds_count')).toBe(4);
  expect(value(text, 'pagesift_examples_accepted_total')).toBe(2);
  expect(value(text, 'pagesift_retrains_total{outcome="activated"}')).toBe(1);
  expect(value(text, `pagesift_model_info{version="${models.current!.file.version}"}`)).toBe(1);
  expect(value(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
});

test('without metrics configured (METRICS_ENABLED=false), there is no /metrics', async () => {
  const { app } = testApp();
  expect((await request(app).get('/metrics')).status).toBe(404);
});
