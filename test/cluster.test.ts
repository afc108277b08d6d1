/**
 * WORKERS=2: the primary forks two workers on one port; examples and retrains go through the
 * primary whichever worker takes the request, and a new live version reaches every worker.
 */
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { ADMIN_TOKEN, smallCorpus } from './helpers/app';
import { startServer, tempDir } from './helpers/server';

/** A request on a fresh connection, so the cluster hands it to the next worker. */
function call(port: number, method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request({ host: '127.0.0.1', port, path: url, method, agent: false, headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`, ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}),
    } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString('utf8'); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

const readyPids = (output: string): number[] => output.split('\n').filter((l) => l.includes('"msg":"ready"')).map((l) => (JSON.parse(l) as { pid: number }).pid);

async function until<T>(check: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('two workers: examples stored once through either, a retrain and a rollback reach both, a dead worker is replaced, SIGTERM exits 0', async () => {
  const dataDir = tempDir('cluster');
  const server = startServer({ WORKERS: '2', ADMIN_TOKEN, DATA_DIR: dataDir, TRAINING_DATA_DIR: smallCorpus(20) });
  const port = await server.ready;
  const pids = await until(async () => { const p = readyPids(server.output()); return p.length === 2 ? p : undefined; });
  expect(new Set(pids).size).toBe(2);

  // Twenty batches over fresh connections, so both workers take some: one store, one sequence.
  const sends = await Promise.all(Array.from({ length: 20 }, (_, i) => call(port, 'POST', '/v1/examples', { examples: [{ text: `Reply number ${i} · 3 likes`, label: 'comment' }] })));
  expect(sends.map((r) => r.status)).toEqual(Array(20).fill(201));
  expect(sends.map((r) => r.body.batch).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  expect(fs.readFileSync(path.join(dataDir, 'examples.jsonl'), 'utf8').trim().split('\n')).toHaveLength(20);

  const shipped = (await call(port, 'GET', '/v1/model')).body.version as string;
  const started = await call(port, 'POST', '/v1/retrain');
  expect(started.status).toBe(202);
  expect((await call(port, 'POST', '/v1/retrain')).status).toBe(409); // one retrain, whichever worker is asked
  const job = await until(async () => { const r = await call(port, 'GET', `/v1/retrain/${started.body.id}`); return r.body.state === 'running' ? undefined : r.body; });
  expect(job.state).toBe('activated');

  const versionsSeen = async (): Promise<Set<string>> => new Set((await Promise.all(Array.from({ length: 8 }, () => call(port, 'GET', '/v1/model')))).map((r) => r.body.version as string));
  await until(async () => ((await versionsSeen()).size === 1 && (await versionsSeen()).has(job.version) ? true : undefined));
  const labels = await Promise.all(Array.from({ length: 6 }, () => call(port, 'GET', '/v1/model')));
  expect(labels.every((r) => r.body.labels.includes('comment'))).toBe(true);

  expect((await call(port, 'POST', '/v1/model/rollback')).body.version).toBe(shipped);
  await until(async () => { const seen = await versionsSeen(); return seen.size === 1 && seen.has(shipped) ? true : undefined; });

  // /metrics, through either worker, adds up both workers' counts and the primary's retrains.
  const before = await Promise.all(Array.from({ length: 8 }, () => call(port, 'POST', '/v1/classify', { text: 'Home\nThe council met on Tuesday.' })));
  expect(before.every((r) => r.status === 200)).toBe(true);
  const scrape = await new Promise<string>((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/metrics', agent: false }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString('utf8'); });
      res.on('end', () => resolve(text));
    }).on('error', reject);
  });
  const value = (series: string): number => Number(scrape.split('\n').find((l) => l.startsWith(`${series} `))?.slice(series.length + 1) ?? NaN);
  expect(value('pagesift_pages_classified_total')).toBe(8);
  expect(value('pagesift_http_requests_total{route="/v1/examples",method="POST",status="201"}')).toBe(20);
  expect(value('pagesift_examples_accepted_total')).toBe(20);
  expect(value('pagesift_retrains_total{outcome="activated"}')).toBe(1);
  expect(value(`pagesift_model_info{version="${shipped}"}`)).toBe(1);

  // A worker that dies is replaced, and its replacement serves the live version.
  process.kill(pids[0]!, 'SIGKILL');
  await until(async () => (readyPids(server.output()).length === 3 ? true : undefined));
  const after = await Promise.all(Array.from({ length: 8 }, () => call(port, 'POST', '/v1/classify', { text: 'Home\nThe council met on Tuesday.' })));
  expect(after.every((r) => r.status === 200 && r.body.model.version === shipped)).toBe(true);

  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
}, 120_000);
