import request from 'supertest';
import { testApp } from '../helpers/app';

describe('operations endpoints', () => {
  test('GET /health answers ok', async () => {
    const { app } = testApp();
    await request(app).get('/health').expect(200, { status: 'ok' });
  });

  test('GET /ready is 503 before the model is loaded and 200 after', async () => {
    const { app, models } = testApp({ loaded: false });
    const before = await request(app).get('/ready').expect(503);
    expect(before.body.error.code).toBe('not_ready');
    await request(app).post('/v1/classify').send({ text: 'a' }).expect(503);
    const { models: loaded } = testApp();
    models.set(loaded.current!);
    const after = await request(app).get('/ready').expect(200);
    expect(after.body).toEqual({ status: 'ready', model: { version: loaded.current!.file.version } });
  });

  test('GET /v1/model shows the metadata, not the feature counts', async () => {
    const { app, models } = testApp();
    const file = models.current!.file;
    const res = await request(app).get('/v1/model').expect(200);
    expect(res.body).toMatchObject({
      version: file.version,
      trainedAt: file.trainedAt,
      labels: file.labels,
      examplesPerLabel: file.examplesPerLabel,
      vocabularySize: file.vocabularySize,
    });
    expect(res.body).not.toHaveProperty('features');
    expect(res.body).toHaveProperty('evaluation'); // the recorded cross-validation figures, or null
    expect(res.body.retrain).toBeNull(); // the shipped model was not made by a retrain
    expect(res.body.articleStart).toBe(true); // the shipped model runs the article-start pass
    expect(res.body.labels).toEqual(expect.arrayContaining(['content', 'caption', 'icon', 'sponsored', 'paywall', 'navigation']));
  });
});

describe('request logs', () => {
  test('one JSON line per request with id, method, path, status, duration and block count', async () => {
    const { app, log } = testApp();
    const res = await request(app).post('/v1/classify').set('X-Request-Id', 'crawler-42').send({ text: 'a\nb\nc' }).expect(200);
    expect(res.headers['x-request-id']).toBe('crawler-42');
    const line = log.lines.find((l) => (l.req as { id?: string } | undefined)?.id === 'crawler-42');
    expect(line).toMatchObject({ req: { id: 'crawler-42', method: 'POST', path: '/v1/classify' }, res: { statusCode: 200 }, blocks: 3 });
    expect(typeof line?.responseTime).toBe('number');
  });

  test('a request without an id gets a fresh one; page text never reaches the log', async () => {
    const { app, log } = testApp();
    const res = await request(app).post('/v1/classify').send({ text: 'secret page words' }).expect(200);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(log.lines)).not.toContain('secret page words');
  });

  test('an error body carries the request id of the header and the log line, given or made up', async () => {
    const { app, log } = testApp();
    const given = await request(app).post('/v1/classify').set('X-Request-Id', 'crawler-7.page-99').set('Content-Type', 'application/json').send('{').expect(400);
    expect(given.body.requestId).toBe('crawler-7.page-99');
    expect(given.headers['x-request-id']).toBe('crawler-7.page-99');
    const made = await request(app).get('/nowhere').expect(404);
    expect(made.body.requestId).toBe(made.headers['x-request-id']);
    expect(log.lines.filter((l) => ['crawler-7.page-99', made.body.requestId].includes((l.req as { id?: string } | undefined)?.id as string))).toHaveLength(2);
  });

  test('client errors log at warn', async () => {
    const { app, log } = testApp();
    await request(app).post('/v1/classify').set('Content-Type', 'application/json').send('{').expect(400);
    expect(log.lines.at(-1)).toMatchObject({ level: 40, res: { statusCode: 400 } });
  });
});
