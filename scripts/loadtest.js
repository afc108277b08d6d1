#!/usr/bin/env node
/**
 * npm run loadtest: the service at saturation with a mix of valid pages, big pages and invalid
 * requests, then the memory check. A script, not a test: it prints what it measured, and exits 1
 * if any response was a 5xx or any connection failed.
 *   --duration S      seconds at saturation (default 60)
 *   --connections N   autocannon connections (default 16)
 *   --workers N       WORKERS for the service (default 1)
 *   --repeats N       the memory check: how many times the same large page is classified (default 10000)
 */
process.env.DOTENV_CONFIG_QUIET = 'true';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const autocannon = require('autocannon');

const ROOT = path.resolve(__dirname, '..');
const { values } = parseArgs({ options: {
  duration: { type: 'string', default: '60' }, connections: { type: 'string', default: '16' },
  workers: { type: 'string', default: '1' }, repeats: { type: 'string', default: '10000' },
} });

const { readLabelledDir } = require(path.join(ROOT, 'dist', 'data', 'labelled-pages'));
const corpus = readLabelledDir(path.join(ROOT, 'training-data'));
const lines = corpus.flatMap((p) => p.blocks.map((b) => b.text));
const seed = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'pages', 'seed-page', 'page.txt'), 'utf8');
const json = { 'content-type': 'application/json' };

// The mix, cycled by every connection: mostly ordinary pages, some big ones, some bad requests.
const requests = [
  ...corpus.slice(0, 12).map((p) => ({ path: '/v1/classify', headers: json, body: JSON.stringify({ id: p.id, blocks: p.blocks.map((b) => b.text) }) })),
  { path: '/v1/classify', headers: { 'content-type': 'text/plain' }, body: seed },
  { path: '/v1/classify', headers: json, body: JSON.stringify({ text: lines.slice(0, 2000).join('\n') }) }, // a big page: 2,000 blocks
  { path: '/v1/classify/batch', headers: json, body: JSON.stringify({ pages: corpus.slice(20, 40).map((p) => ({ id: p.id, text: p.blocks.map((b) => b.text).join('\n') })) }) },
  { path: '/v1/classify', headers: json, body: '{"text": "cut off' }, // invalid JSON: 400
  { path: '/v1/classify', headers: json, body: JSON.stringify({ blocks: 'not an array' }) }, // 400
  { path: '/v1/classify', headers: { 'content-type': 'application/xml' }, body: '<page/>' }, // 415
  { path: '/v1/classify', headers: json, body: JSON.stringify({ blocks: Array.from({ length: 25_000 }, () => 'x') }) }, // 413
  { method: 'GET', path: '/nowhere' }, // 404
].map((r) => ({ method: 'POST', ...r }));

function rss(pid) {
  return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
}

(async () => {
  const child = spawn(process.execPath, [path.join('dist', 'server.js')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', WORKERS: values.workers, DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'loadtest-')) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    const onData = (d) => {
      out += d;
      const m = /"port":(\d+)[^\n]*"msg":"ready"/.exec(out);
      if (!m) return;
      // From here on the request logs are read and dropped, so the pipe never fills.
      child.stdout.removeListener('data', onData);
      child.stdout.resume();
      resolve(Number(m[1]));
    };
    child.stdout.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  // With several workers, the service's RSS is the sum over the process tree; 1 worker is the usual case.
  const startRss = rss(child.pid);
  process.stderr.write(`load: ${values.duration} s, ${values.connections} connections, ${requests.length} request kinds\n`);
  const result = await new Promise((resolve, reject) => autocannon({
    url: `http://127.0.0.1:${port}`, requests, connections: Number(values.connections), duration: Number(values.duration), timeout: 30,
  }, (e, r) => (e ? reject(e) : resolve(r))));
  const endRss = rss(child.pid);
  const byStatus = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, v.count]));
  const fivexx = Object.entries(byStatus).filter(([k]) => k.startsWith('5')).reduce((n, [, c]) => n + c, 0);

  // Memory: the same large page (the corpus's first 500 blocks) classified again and again.
  process.stderr.write(`memory: the same 500-block page ${values.repeats} times\n`);
  const big = JSON.stringify({ text: lines.slice(0, 500).join('\n') });
  const samples = [];
  const repeats = Number(values.repeats);
  for (let i = 1; i <= repeats; i++) {
    const res = await fetch(`http://127.0.0.1:${port}/v1/classify`, { method: 'POST', headers: json, body: big });
    if (res.status !== 200) throw new Error(`memory check: status ${res.status}`);
    await res.arrayBuffer();
    if (i % Math.max(1, Math.floor(repeats / 10)) === 0) samples.push([i, rss(child.pid)]);
  }
  child.kill('SIGTERM');

  const cpu = os.cpus();
  console.log(`pagesift load test, ${new Date().toISOString()}: ${cpu.length} x ${cpu[0].model}, Node ${process.version}, WORKERS=${values.workers}`);
  console.log(`saturation: ${values.duration} s, ${values.connections} connections, a cycle of ${requests.length} requests (12 corpus pages, the seed page, a 2,000-block page, a 20-page batch, 5 invalid)`);
  console.log(`  requests/s ${Math.round(result.requests.average)}   p50 ${result.latency.p50} ms   p99 ${result.latency.p99} ms   total ${result.requests.total}`);
  console.log(`  by status ${JSON.stringify(byStatus)}   5xx ${fivexx}   connection errors ${result.errors}   timeouts ${result.timeouts}`);
  console.log(`  RSS ${startRss.toFixed(0)} MB at start, ${endRss.toFixed(0)} MB at the end`);
  console.log(`memory: RSS after N classifications of one 500-block page: ${samples.map(([n, r]) => `${n}: ${r.toFixed(0)} MB`).join(', ')}`);
  process.exit(fivexx === 0 && result.errors === 0 && result.timeouts === 0 ? 0 : 1);
})().catch((error) => {
  process.stderr.write(`loadtest failed: ${error.stack ?? error}\n`);
  process.exit(1);
});
