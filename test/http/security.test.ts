/**
 * What the security review checked, as tests: headers, CORS, content types, prototype pollution.
 */
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { ADMIN_TOKEN, adminApp, smallCorpus, testApp } from '../helpers/app';

describe('security', () => {
  test('no X-Powered-By, no CORS headers (cross-origin browsers are refused by default), a preflight is a 405', async () => {
    const { app } = testApp();
    const res = await request(app).post('/v1/classify').set('origin', 'https://evil.example').send({ text: 'Hello' }).expect(200);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await request(app).options('/v1/classify').set('origin', 'https://evil.example').set('access-control-request-method', 'POST');
    expect(preflight.status).toBe(405);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('JSON only where JSON is expected: the admin routes refuse text and forms', async () => {
    const { app } = adminApp({ trainingDataDir: smallCorpus(5) });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
      const res = await request(app).post('/v1/examples').set('authorization', `Bearer ${ADMIN_TOKEN}`).set('content-type', type).send('examples=1');
      expect(res.status).toBe(415);
    }
  });

  test.each([
    ['__proto__', '{"__proto__": {"polluted": true}, "text": "Hello", "blocks": null}'],
    ['constructor.prototype', '{"constructor": {"prototype": {"polluted": true}}, "text": "Hello"}'],
    ['nested __proto__ in blocks', '{"blocks": ["a", {"__proto__": {"polluted": true}}]}'],
  ])('%s keys in a body pollute nothing', async (_name, body) => {
    const { app } = testApp();
    const res = await request(app).post('/v1/classify').set('content-type', 'application/json').send(body);
    expect(res.status).toBeLessThan(500);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('__proto__ as a label, a page id or an example field is stored as plain data, and pollutes nothing', async () => {
    const { app, dataDir } = adminApp({ trainingDataDir: smallCorpus(5) });
    const bad = await request(app).post('/v1/examples').set('authorization', `Bearer ${ADMIN_TOKEN}`).set('content-type', 'application/json')
      .send('{"examples": [{"text": "x", "label": "__proto__"}]}');
    expect(bad.status).toBe(400); // a label keys plain objects: "__proto__" would vanish from them
    expect(bad.body.error.message).toMatch(/not a name every object has/);
    const ok = await request(app).post('/v1/examples').set('authorization', `Bearer ${ADMIN_TOKEN}`).set('content-type', 'application/json')
      .send('{"pages": [{"id": "__proto__", "blocks": [{"text": "x", "label": "content", "__proto__": {"polluted": true}}]}]}');
    expect(ok.status).toBe(201);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const stored = JSON.parse(fs.readFileSync(path.join(dataDir, 'examples.jsonl'), 'utf8').trim()) as { pages: { id: string; blocks: object[] }[] };
    expect(stored.pages[0]).toEqual({ id: '__proto__', blocks: [{ text: 'x', label: 'content' }] });
  });
});
