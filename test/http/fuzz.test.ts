/**
 * Property-based fuzzing of the HTTP API (fast-check, fixed seeds, bounded time): whatever arrives,
 * the answer is a 2xx with one result per block, or a 4xx JSON error; never a 5xx, a hang or a
 * crash, and /health answers after every case. The same for the training endpoints.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import fc from 'fast-check';
import request from 'supertest';
import { ADMIN_TOKEN, adminApp, smallCorpus, testApp } from '../helpers/app';

const SEED = 20261129;
const settings = (numRuns: number) => ({ seed: SEED, numRuns, interruptAfterTimeLimit: 40_000, markInterruptAsFailure: false });
type App = ReturnType<typeof testApp>['app'];

/** Strings of every kind the web sends: lone surrogates, NUL and controls, RTL, emoji, combining marks. */
const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.constantFrom('\u0000', '\uD800', '\uDFFF x', 'مرحبا بالعالم', '\u202Eevil\u202C', '👩‍👩‍👧‍👦🏳️‍🌈', 'e\u0301\u0301\u0301', '\r', '\t\f\v', '{{x}}', '__proto__', ' '),
  fc.string({ unit: fc.constantFrom('a', ' ', '\n', '.', '©', '{', 'É', '\u0000'), maxLength: 300 }),
);

async function healthy(app: App): Promise<void> {
  expect((await request(app).get('/health')).status).toBe(200);
}

/** A 4xx must be our JSON error; anything else must be a 2xx. */
function checkShape(res: request.Response): void {
  expect(res.status).toBeLessThan(500);
  if (res.status >= 400) expect(res.body.error).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String) }));
  else expect(res.status).toBeLessThan(300);
}

describe('fuzzing POST /v1/classify and /v1/classify/batch', () => {
  const { app } = testApp({ maxBlocks: 2000 });

  test('any JSON value as the body: a 2xx or a 4xx JSON error', async () => {
    await fc.assert(fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), async (body) => {
      for (const url of ['/v1/classify', '/v1/classify/batch']) {
        const res = await request(app).post(url).set('content-type', 'application/json').send(JSON.stringify(body));
        checkShape(res);
      }
      await healthy(app);
    }), settings(1500));
  });

  test('blocks and page text of every kind of string: one result per block, text returned as sent', async () => {
    await fc.assert(fc.asyncProperty(fc.array(nasty, { maxLength: 30 }), fc.option(fc.string({ maxLength: 20 })), async (blocks, id) => {
      const res = await request(app).post('/v1/classify').send({ blocks, ...(id === null ? {} : { id }) });
      expect(res.status).toBe(200);
      expect(res.body.blocks).toHaveLength(blocks.length);
      res.body.blocks.forEach((b: { text: string; label: string; scores: Record<string, number> }, i: number) => {
        // Lone surrogates included: JSON escapes them (\\udfff) both ways, so they come back as sent.
        expect(b.text).toBe(blocks[i]);
        expect(Object.values(b.scores).reduce((x, y) => x + y, 0)).toBeCloseTo(1, 6);
      });
      const text = blocks.join('\n');
      const asText = await request(app).post('/v1/classify').set('content-type', 'text/plain').send(text);
      expect(asText.status).toBe(200);
      expect(asText.body.blocks.every((b: { text: string }) => b.text.trim() !== '')).toBe(true);
      const batch = await request(app).post('/v1/classify/batch').send({ pages: [{ blocks }, { text }, { blocks: text }] });
      expect(batch.status).toBe(200);
      expect(batch.body.results[0].blocks).toHaveLength(blocks.length);
      expect(batch.body.results[2].error.status).toBe(400);
      await healthy(app);
    }), settings(1500));
  });

  test('random bytes, invalid UTF-8 included, under every content type', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), fc.constantFrom('application/json', 'text/plain', 'text/plain; charset=utf-8', 'application/xml', 'multipart/form-data', 'application/x-www-form-urlencoded', 'text/plain; charset=latin-9'), async (bytes, type) => {
      const res = await request(app).post('/v1/classify').set('content-type', type).send(Buffer.from(bytes));
      checkShape(res);
      await healthy(app);
    }), settings(800));
  });

  test('a single 1 MB line, deep nesting, and 100,000 tiny blocks', async () => {
    const { app: roomy } = testApp({ maxBlocks: 100_000, maxBodyBytes: 5 * 1024 * 1024 });
    const line = 'Ünïcödé wörds and {{placeholders}} 👍 '.repeat(27_000).slice(0, 1_000_000);
    const big = await request(roomy).post('/v1/classify').send({ blocks: [line] });
    expect(big.status).toBe(200);
    expect(big.body.blocks[0].text).toBe(line);

    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    checkShape(await request(app).post('/v1/classify').set('content-type', 'application/json').send(deep));
    const deepObject = `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`;
    checkShape(await request(app).post('/v1/classify').set('content-type', 'application/json').send(deepObject));

    const tiny = Array.from({ length: 100_000 }, (_, i) => (i % 3 === 0 ? 'x' : `${i}`));
    const refused = await request(app).post('/v1/classify').send({ blocks: tiny });
    expect(refused.status).toBe(413);
    expect(refused.body.error.code).toBe('too_many_blocks');
    const all = await request(roomy).post('/v1/classify').send({ blocks: tiny });
    expect(all.status).toBe(200);
    expect(all.body.blocks).toHaveLength(100_000);
    await healthy(app);
  }, 120_000);

  test('bodies cut short, and a client that hangs up mid-body, leave the server answering', async () => {
    const server = http.createServer(app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as net.AddressInfo;
    const send = (raw: string) => new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.end(raw)); // half-close: we can still read
      let reply = '';
      socket.on('data', (d: Buffer) => { reply += d.toString('utf8'); });
      socket.on('close', () => resolve(reply));
      socket.on('error', () => resolve(reply));
    });
    for (const cut of [0, 5, 17, 40]) {
      const body = '{"text": "Council approves the harbour budget after a long debate"}';
      const reply = await send(`POST /v1/classify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, cut)}`);
      // Either nothing (the request never completed) or a 4xx; never a 5xx.
      expect(reply === '' || /^HTTP\/1.1 4\d\d/.test(reply)).toBe(true);
      const hungUp = net.connect(port, '127.0.0.1', () => { hungUp.write(`POST /v1/classify HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"te`); hungUp.destroy(); });
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    }
    server.close();
  });
});

describe('fuzzing the training endpoints', () => {
  test('POST /v1/examples with any JSON: a 2xx or a 4xx JSON error, and a 4xx stores nothing', async () => {
    const { app, dataDir } = adminApp({ trainingDataDir: smallCorpus(10), maxExamples: 200, maxChars: 2000 });
    const file = path.join(dataDir, 'examples.jsonl');
    const size = () => (fs.existsSync(file) ? fs.statSync(file).size : 0);
    const label = fc.oneof(fc.constantFrom('content', 'navigation', 'comment', 'a'.repeat(64)), fc.string({ maxLength: 70 }));
    const block = fc.record({ text: nasty, label }, { requiredKeys: [] });
    const page = fc.record({ id: fc.oneof(fc.string({ maxLength: 10 }), fc.integer()), blocks: fc.array(fc.oneof(block, fc.jsonValue({ maxDepth: 2 })), { maxLength: 5 }) }, { requiredKeys: [] });
    const body = fc.oneof(
      fc.jsonValue({ maxDepth: 5 }),
      fc.record({ examples: fc.array(fc.oneof(block, fc.jsonValue({ maxDepth: 2 })), { maxLength: 6 }) }),
      fc.record({ pages: fc.array(page, { maxLength: 4 }) }),
    );
    await fc.assert(fc.asyncProperty(body, fc.option(fc.string({ maxLength: 140 })), async (value, key) => {
      const before = size();
      let req = request(app).post('/v1/examples').set('authorization', `Bearer ${ADMIN_TOKEN}`).set('content-type', 'application/json');
      if (key !== null) req = req.set('idempotency-key', key.replace(/[^\x21-\x7e]/g, '_') || '_');
      const res = await req.send(JSON.stringify(value));
      checkShape(res);
      if (res.status >= 400) expect(size()).toBe(before);
      expect((await request(app).get('/health')).status).toBe(200);
    }), settings(1200));
  });

  test('POST /v1/retrain with any body: 202, 409 or a 4xx error, never a 5xx', async () => {
    const { app } = adminApp({ trainingDataDir: smallCorpus(8) });
    const started: string[] = [];
    await fc.assert(fc.asyncProperty(fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.record({ force: fc.jsonValue({ maxDepth: 1 }) })), async (value) => {
      const res = await request(app).post('/v1/retrain').set('authorization', `Bearer ${ADMIN_TOKEN}`).set('content-type', 'application/json').send(JSON.stringify(value));
      checkShape(res);
      expect([202, 400, 409, 415]).toContain(res.status);
      if (res.status === 202) started.push(res.body.id as string);
    }), settings(300));
    expect(started.length).toBeGreaterThan(0);
    // Every retrain started finishes (and none fails) before the test ends.
    for (const id of started) {
      let state = 'running';
      while (state === 'running') {
        await new Promise((r) => setTimeout(r, 100));
        state = (await request(app).get(`/v1/retrain/${id}`).set('authorization', `Bearer ${ADMIN_TOKEN}`)).body.state as string;
      }
      expect(state).toBe('activated');
    }
  }, 120_000);
});
