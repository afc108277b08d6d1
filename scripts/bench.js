#!/usr/bin/env node
/**
 * npm run bench: throughput, latency, memory and training time, every figure measured in this one
 * run on this machine, and compared with a baseline measured beside it (ratios, not absolute times:
 * these machines are noisy). Not a test: it asserts nothing, it prints a table.
 *   --duration S        seconds per HTTP load run (default 10)
 *   --connections N     autocannon connections (default 8)
 *   --skip-training     leave out the training rows (they take about a minute)
 *   --only PART         one part alone: scorer, http, memory (with the big page), fit or training
 */
process.env.DOTENV_CONFIG_QUIET = 'true';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const autocannon = require('autocannon');

const ROOT = path.resolve(__dirname, '..');
const dist = (p) => require(path.join(ROOT, 'dist', p));
const { readLabelledDir } = dist('data/labelled-pages');
const { DEFAULT_TRAIN_OPTIONS, trainNatural, withClasses, extractCounts } = dist('model/train');
const { featurizeCorpus } = dist('model/featurize-corpus');
const { compileScoringModel, scoreFeatures } = dist('model/score');

const { values } = parseArgs({ options: {
  duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '8' }, 'skip-training': { type: 'boolean' },
  // One part alone, e.g. to compare two checkouts' memory side by side without the whole run.
  only: { type: 'string' },
} });
const duration = Number(values.duration);
const connections = Number(values.connections);
const rows = [];
const row = (what, figure, baseline, ratio, target = '') => { rows.push({ what, figure, baseline, ratio, target }); process.stderr.write(`  ${what}: ${figure}\n`); };

const corpus = readLabelledDir(path.join(ROOT, 'training-data'));
const seedText = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'pages', 'seed-page', 'page.txt'), 'utf8');

// 1. Scorer: the service's sparse scorer against natural's classify, on one trained model and the same blocks.
function scorer() {
  process.stderr.write('scorer\n');
  const featurized = featurizeCorpus(corpus.map((p) => withClasses(p)), DEFAULT_TRAIN_OPTIONS.featurizer);
  const natural = trainNatural(featurized, DEFAULT_TRAIN_OPTIONS.smoothing);
  const classes = Object.keys(natural.classifier.classFeatures).sort();
  const scoring = compileScoringModel(extractCounts(natural, classes));
  // A realistic mix: every 7th block of the corpus, all kinds and lengths.
  const blocks = featurized.pages.flatMap((p) => p.tokens).filter((t, i) => t.length > 0 && i % 7 === 0);
  const rate = (fn, list, seconds) => {
    let n = 0;
    const t0 = process.hrtime.bigint();
    let elapsed = 0;
    while (elapsed < seconds) {
      fn(list[n % list.length]);
      n++;
      if (n % 50 === 0) elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
    }
    return n / (Number(process.hrtime.bigint() - t0) / 1e9);
  };
  const theirs = rate((t) => natural.classify(t), blocks, 3);
  const ours = rate((t) => {
    const { logLikelihood } = scoreFeatures(scoring, t);
    let best = 0;
    for (let i = 1; i < logLikelihood.length; i++) if (logLikelihood[i] > logLikelihood[best]) best = i;
    return classes[best];
  }, blocks, 3);
  row('scorer: blocks/s, sparse log-space vs natural classify', `${Math.round(ours).toLocaleString('en')}`, `${Math.round(theirs).toLocaleString('en')}`, ours / theirs, '>= 500');
}

function startProcess(args, env, readyPattern) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const ready = new Promise((resolve, reject) => {
    const onData = (d) => {
      out += d.toString('utf8');
      const m = readyPattern.exec(out);
      if (!m) return;
      // From here on its log lines are read and dropped: keeping them would load this process.
      for (const stream of [child.stdout, child.stderr]) {
        stream.removeListener('data', onData);
        stream.resume();
      }
      resolve(Number(m[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out.slice(-500)}`)));
  });
  ready.catch(() => {});
  return { child, ready, stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); }) };
}

// No cap on requests per connection, as the no-op baseline has none. With the default cap (1,000),
// Node answers "Connection: close" and then 503s every request that autocannon keeps sending on
// that connection, which measures autocannon rather than the service.
const startService = (workers, extra = {}) => startProcess([path.join('dist', 'server.js')], { PORT: '0', HOST: '127.0.0.1', WORKERS: String(workers), MAX_REQUESTS_PER_SOCKET: '1000000', DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')), ...extra }, /"port":(\d+)[^\n]*"msg":"ready"/);

function load(url, body) {
  return new Promise((resolve, reject) => {
    autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections, duration }, (error, result) => {
      if (error) reject(error);
      else resolve(result);
    });
  });
}

function rssOf(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)[1]);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

async function http() {
  process.stderr.write('http\n');
  const body = JSON.stringify({ text: seedText });
  const noop = startProcess(['scripts/bench-noop-server.js'], { PORT: '0' }, /"port":(\d+)/);
  const noopResult = await load(`http://127.0.0.1:${await noop.ready}/noop`, body);
  await noop.stop();

  const results = {};
  let answerFile;
  for (const workers of [1, 2]) {
    const service = startService(workers);
    const port = await service.ready;
    await new Promise((r) => setTimeout(r, 1000)); // every worker up
    if (!answerFile) {
      answerFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')), 'answer.json');
      fs.writeFileSync(answerFile, await (await fetch(`http://127.0.0.1:${port}/v1/classify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).text());
    }
    results[workers] = await load(`http://127.0.0.1:${port}/v1/classify`, body);
    const batchBody = JSON.stringify({ pages: Array.from({ length: 20 }, (_, i) => ({ id: `p${i}`, text: seedText })) });
    results[`batch${workers}`] = await load(`http://127.0.0.1:${port}/v1/classify/batch`, batchBody);
    await service.stop();
  }
  // The ceiling: the no-op endpoint answering with the service's own answer to the page (20 kB:
  // every block's text, label and six scores), computed once. No classifier can beat this rate
  // without sending less than the documented answer.
  const ceiling = startProcess(['scripts/bench-noop-server.js'], { PORT: '0', BENCH_REPLY_FILE: answerFile }, /"port":(\d+)/);
  results.ceiling = await load(`http://127.0.0.1:${await ceiling.ready}/noop`, body);
  await ceiling.stop();

  const fmt = (r, pages = 1) => `${Math.round(r.requests.average * pages).toLocaleString('en')} pages/s (p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms)`;
  const pagesPerSecond = (r, pages = 1) => r.requests.average * pages;
  for (const [name, r] of Object.entries({ noop: noopResult, ...results })) {
    if (r.non2xx > 0 || r.errors > 0) throw new Error(`load run ${name} had ${r.non2xx} non-2xx (${JSON.stringify(r.statusCodeStats)}) and ${r.errors} errors`);
  }
  row('HTTP: POST /v1/classify, seed page, 1 worker vs no-op Express', fmt(results[1]), fmt(noopResult), pagesPerSecond(results[1]) / pagesPerSecond(noopResult), '>= 0.6');
  row('HTTP: ceiling: the no-op endpoint sending the service\'s answer, no work, vs no-op Express', fmt(results.ceiling), fmt(noopResult), pagesPerSecond(results.ceiling) / pagesPerSecond(noopResult));
  row('HTTP: POST /v1/classify, 1 worker vs that ceiling', fmt(results[1]), fmt(results.ceiling), pagesPerSecond(results[1]) / pagesPerSecond(results.ceiling));
  row('HTTP: 2 workers vs 1 worker', fmt(results[2]), fmt(results[1]), pagesPerSecond(results[2]) / pagesPerSecond(results[1]), '>= 1.7');
  row('HTTP: /v1/classify/batch (20 pages a request), 1 worker vs single requests', fmt(results.batch1, 20), fmt(results[1]), pagesPerSecond(results.batch1, 20) / pagesPerSecond(results[1]));
  row('HTTP: /v1/classify/batch, 2 workers vs single requests, 2 workers', fmt(results.batch2, 20), fmt(results[2]), pagesPerSecond(results.batch2, 20) / pagesPerSecond(results[2]));
}

async function bigPageAndMemory() {
  process.stderr.write('big page, memory\n');
  const service = startService(1, { MAX_BODY_BYTES: String(64 * 1024 * 1024) });
  const port = await service.ready;
  await new Promise((r) => setTimeout(r, 2000));
  const loaded = rssOf(service.child.pid);
  // Parsing the model file grows the heap well past what the model keeps. The service collects that
  // garbage on the turn after the model is loaded (src/heap.ts), so the 2 s figure should already be
  // the idle one; the 15 s reading beside it shows whether anything is still handed back later.
  await new Promise((r) => setTimeout(r, 13000));
  const idle = rssOf(service.child.pid);
  row('memory: idle RSS, 1 worker with the shipped model, 15 s vs 2 s after ready', `${idle.rss.toFixed(0)} MB`, `${loaded.rss.toFixed(0)} MB`, idle.rss / loaded.rss, '<= 150 MB');
  const lines = corpus.flatMap((p) => p.blocks.map((b) => b.text));
  const text = Array.from({ length: 10000 }, (_, i) => lines[i % lines.length]).join('\n');
  const times = [];
  for (let i = 0; i < 3; i++) {
    const t0 = process.hrtime.bigint();
    const res = await fetch(`http://127.0.0.1:${port}/v1/classify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
    const json = await res.json();
    if (res.status !== 200 || json.blocks.length !== 10000) throw new Error(`big page: ${res.status}`);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const seedTimes = [];
  for (let i = 0; i < 20; i++) {
    const t0 = process.hrtime.bigint();
    await (await fetch(`http://127.0.0.1:${port}/v1/classify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: seedText }) })).json();
    seedTimes.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  seedTimes.sort((a, b) => a - b);
  const peak = rssOf(service.child.pid).peak;
  row('big page: 10,000 blocks in one request, median of 3 vs the 48-block seed page', `${times[1].toFixed(0)} ms, peak RSS ${peak.toFixed(0)} MB`, `${seedTimes[10].toFixed(1)} ms`, times[1] / seedTimes[10]);
  await service.stop();
}

// 4. The softmax fits: the gradient loop compiled to WebAssembly against the same loop in JavaScript
// (model/gradient.ts), at the sizes of a training run's two fits, with their options, taking turns.
function fits() {
  process.stderr.write('fits (about two minutes)\n');
  const { fitSoftmax } = dist('model/softmax');
  const { DEFAULT_FIT_OPTIONS } = dist('model/calibrate');
  const { NEIGHBOUR_FIT_OPTIONS } = dist('model/neighbours');
  const blocks = corpus.reduce((n, p) => n + p.blocks.length, 0);
  const model = JSON.parse(fs.readFileSync(path.join(ROOT, 'models', 'pagesift-model.json'), 'utf8'));
  // Deterministic rows of the fits' shapes: the calibration's per class, the neighbour pass's per label.
  const shape = (count, dims, classCount) => {
    let seed = 1;
    const random = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    const labels = Array.from({ length: count }, () => Math.floor(random() * classCount));
    return { labels, classCount, raw: labels.map((l) => Array.from({ length: dims }, (_, i) => (i % classCount === l ? 1 : 0) + random() * 2 - 1)) };
  };
  const time = (fit, compiled) => {
    const t0 = process.hrtime.bigint();
    fitSoftmax(fit.raw, fit.labels, fit.classCount, { ...fit.options, compiled });
    return Number(process.hrtime.bigint() - t0) / 1e9;
  };
  const cases = [
    ['calibration', { ...shape(blocks, model.calibration.mean.length, model.classes.length), options: DEFAULT_FIT_OPTIONS }],
    ['neighbour pass', { ...shape(blocks, model.neighbours.mean.length, model.labels.length), options: NEIGHBOUR_FIT_OPTIONS }],
  ];
  for (const [name, fit] of cases) {
    const compiled = [];
    const plain = [];
    for (let round = 0; round < 3; round++) {
      plain.push(time(fit, false));
      compiled.push(time(fit, true));
    }
    const median = (list) => [...list].sort((a, b) => a - b)[1];
    row(`fit: the ${name}'s (${blocks.toLocaleString('en')} rows of ${fit.raw[0].length} inputs, ${fit.classCount} classes), compiled loop vs JavaScript loop, median of 3`,
      `${median(compiled).toFixed(2)} s (${compiled.map((t) => t.toFixed(2)).join(', ')})`, `${median(plain).toFixed(2)} s (${plain.map((t) => t.toFixed(2)).join(', ')})`, median(compiled) / median(plain));
  }
}

function training() {
  process.stderr.write('training (about a minute)\n');
  const res = spawnSync(process.execPath, [path.join('scripts', 'retrain-time.js'), '--runs', '1'], { cwd: ROOT, encoding: 'utf8' });
  // Lines look like "retrain +1000    30.2 s   2.70x train".
  const seconds = (name) => Number(res.stdout.split('\n').find((l) => l.startsWith(`${name} `)).slice(name.length).trim().split(/\s+/)[0]);
  row('training: full, on the corpus', `${seconds('train')} s`, '', '', '< 30 s');
  row('training: retrain after adding 1,000 blocks vs full training', `${seconds('retrain +1000')} s`, `${seconds('train')} s`, seconds('retrain +1000') / seconds('train'));
}

const PARTS = ['scorer', 'http', 'memory', 'fit', 'training'];
if (values.only !== undefined && !PARTS.includes(values.only)) {
  process.stderr.write(`--only takes one of ${PARTS.join(', ')}\n`);
  process.exit(2);
}
const run = (part) => values.only === undefined ? !(part === 'training' && values['skip-training']) : values.only === part;

(async () => {
  if (run('scorer')) scorer();
  if (run('http')) await http();
  if (run('memory')) await bigPageAndMemory();
  if (run('fit')) fits();
  if (run('training')) training();
  const cpu = os.cpus();
  console.log(`pagesift benchmark, ${new Date().toISOString()}: ${cpu.length} x ${cpu[0].model}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; autocannon ${connections} connections, ${duration} s a run`);
  console.log('');
  console.log('| measurement | pagesift | baseline | ratio | target |');
  console.log('| --- | ---: | ---: | ---: | --- |');
  for (const r of rows) console.log(`| ${r.what} | ${r.figure} | ${r.baseline} | ${typeof r.ratio === 'number' ? `${r.ratio.toFixed(2)}x` : ''} | ${r.target} |`);
})().catch((error) => {
  process.stderr.write(`bench failed: ${error.stack ?? error}\n`);
  process.exit(1);
});
