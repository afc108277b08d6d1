/**
 * Crash safety with a real process: kill -9 at random moments while examples arrive and while a
 * retrain runs, again and again. After every restart the service starts with a complete model (the
 * old version or the new one) and every example it acknowledged with a 2xx is in the store.
 */
import fs from 'node:fs';
import path from 'node:path';
import { seededRandom } from '../../src/model/folds';
import { ADMIN_TOKEN, smallCorpus } from '../helpers/app';
import { startServer, tempDir } from '../helpers/server';

const ROUNDS = 24;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * fetch, tried again once on a network error: a port number can come back to a later server, and
 * fetch's pool may still hold a socket to the killed one ("other side closed").
 */
async function call(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    return fetch(url, init);
  }
}

function storedTexts(dataDir: string): string[] {
  const file = path.join(dataDir, 'examples.jsonl');
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, 'utf8');
  // Whole lines only: the store cuts a torn tail when it opens, and every line must parse.
  return text.split('\n').filter(Boolean).flatMap((line) => (JSON.parse(line) as { pages: { blocks: { text: string }[] }[] }).pages.flatMap((p) => p.blocks.map((b) => b.text)));
}

test(`kill -9 during ingestion and during retrain, ${ROUNDS} times: every restart has a complete model and every acknowledged example`, async () => {
  const dataDir = tempDir('crash');
  const env = { DATA_DIR: dataDir, ADMIN_TOKEN, TRAINING_DATA_DIR: smallCorpus(30) };
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
  const random = seededRandom(2026);
  const acknowledged: string[] = [];
  const versionsSeen = new Set<string>();
  let retrainsKilled = 0; // retrains started in a round that ends with kill -9

  for (let round = 0; round <= ROUNDS; round++) {
    const server = startServer(env);
    const port = await server.ready; // rejects if the model on disk did not load
    const base = `http://127.0.0.1:${port}`;

    // After the restart: a complete, serving model, and nothing acknowledged lost.
    const model = (await (await call(`${base}/v1/model`)).json()) as { version: string };
    expect(model.version).toMatch(/^[0-9a-f]{16}$/);
    versionsSeen.add(model.version);
    expect((await call(`${base}/v1/classify`, { method: 'POST', headers, body: JSON.stringify({ text: 'Home\nThe council met on Tuesday.' }) })).status).toBe(200);
    const stored = storedTexts(dataDir);
    for (const text of acknowledged) expect(stored).toContain(text);
    expect(new Set(stored).size).toBe(stored.length); // nothing stored twice
    expect(fs.existsSync(path.join(dataDir, 'models')) ? fs.readdirSync(path.join(dataDir, 'models')).filter((n) => n.endsWith('.tmp')) : []).toEqual([]);
    if (round === ROUNDS) {
      server.child.kill('SIGKILL');
      break;
    }

    const duringRetrain = round % 2 === 1;
    let job: string | undefined;
    if (duringRetrain) {
      const res = await call(`${base}/v1/retrain`, { method: 'POST', headers, body: '{"force": true}' });
      expect(res.status).toBe(202);
      job = ((await res.json()) as { id: string }).id;
      retrainsKilled++;
    }
    // Four writers send up to 25 batches each until the kill; a batch counts only once its 201 has arrived.
    let killed = false;
    const writer = async (w: number) => {
      for (let i = 0; !killed && i < 25; i++) {
        const text = `round ${round} writer ${w} example ${i}`;
        try {
          const res = await fetch(`${base}/v1/examples`, { method: 'POST', headers, body: JSON.stringify({ examples: [{ text, label: i % 7 === 0 ? 'comment' : 'content' }] }) });
          if (res.status === 201) acknowledged.push(text);
          else expect(res.status).toBe(201);
        } catch {
          return; // the connection died with the process: not acknowledged
        }
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    if (job && round % 4 === 3) {
      // Every other retrain is let finish (and go live), then the kill lands while examples arrive.
      for (let state = 'running'; state === 'running'; await sleep(100)) {
        const res = await call(`${base}/v1/retrain/${job}`, { headers }).catch((error: Error) => {
          throw new Error(`polling the retrain failed (${error.message}); server output:\n${server.output()}`);
        });
        state = ((await res.json()) as { state: string }).state;
      }
      expect(server.child.exitCode).toBeNull();
    }
    await sleep(Math.floor(random() * (job && round % 4 !== 3 ? 4000 : 600)));
    server.child.kill('SIGKILL');
    killed = true;
    await server.exited;
    await Promise.all(writers);
  }
  expect(acknowledged.length).toBeGreaterThan(ROUNDS * 5);
  expect(retrainsKilled).toBe(ROUNDS / 2);
  // The retrains let finish went live, so restarts came up on more than one version.
  expect(versionsSeen.size).toBeGreaterThan(1);
}, 600_000);
