/**
 * @module cli/admin
 * npm run admin -- <command>: teaches a running service over its admin API, with ADMIN_TOKEN from the
 * environment and the service at PAGESIFT_URL (default http://127.0.0.1:8080).
 *
 *   add FILE             send the labelled pages of a JSONL file, in batches of at most --batch blocks.
 *                        Each batch has an Idempotency-Key made from the file's content, so running
 *                        the command again after an interruption stores nothing twice.
 *   retrain [--force]    start a retrain and wait for it (--no-wait: print the job and return)
 *   job ID               a retrain job's state
 *   versions             the model versions on disk
 *   rollback             make the previous version live again
 *
 * Exit codes: 0 done, 1 the service refused or failed, 2 bad usage, 3 the retrained model was kept
 * but not made live (its held-out score dropped more than RETRAIN_MARGIN).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { PagesiftError } from '../errors';
import { readLabelledPages } from '../data/labelled-pages';
import type { LabelledPage } from '../types';
import { EXIT_USAGE, parseCliArgs, runCli } from './args';

const USAGE = `usage: npm run admin -- add FILE [--batch N] | retrain [--force] [--no-wait] | job ID | versions | rollback
  env: ADMIN_TOKEN (required), PAGESIFT_URL (default http://127.0.0.1:8080)`;
const EXIT_KEPT = 3;

function usage(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(EXIT_USAGE);
}

interface Client {
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
}

function client(): Client {
  const token = process.env.ADMIN_TOKEN;
  if (!token) usage('ADMIN_TOKEN is not set');
  const base = (process.env.PAGESIFT_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
  return {
    async call(method, path, body, headers = {}) {
      let res: Response;
      try {
        res = await fetch(`${base}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
      } catch (error) {
        throw new PagesiftError('internal', `cannot reach the service at ${base}: ${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message}`);
      }
      const text = await res.text();
      const parsed: any = text ? JSON.parse(text) : null;
      if (res.status >= 400) throw new PagesiftError('internal', `${method} ${path}: ${res.status} ${parsed?.error?.code ?? ''}: ${parsed?.error?.message ?? text}`);
      return { status: res.status, body: parsed };
    },
  };
}

/** Pages grouped into batches of at most `max` blocks (a page is never split). */
export function batchesOf(pages: readonly LabelledPage[], max: number): LabelledPage[][] {
  const batches: LabelledPage[][] = [];
  let current: LabelledPage[] = [];
  let blocks = 0;
  for (const page of pages) {
    if (current.length > 0 && blocks + page.blocks.length > max) {
      batches.push(current);
      current = [];
      blocks = 0;
    }
    current.push(page);
    blocks += page.blocks.length;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

async function add(file: string, batchSize: number): Promise<void> {
  const pages = readLabelledPages(file);
  const digest = createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 16);
  const api = client();
  const batches = batchesOf(pages, batchSize);
  let stored = 0;
  for (const [i, batch] of batches.entries()) {
    const res = await api.call('POST', '/v1/examples', { pages: batch }, { 'idempotency-key': `file-${digest}-${batchSize}-${i}` });
    if (res.body.stored) stored++;
    process.stderr.write(`batch ${i + 1}/${batches.length}: ${res.body.blocks} blocks ${res.body.stored ? 'stored' : 'already stored'}\n`);
  }
  process.stdout.write(`${JSON.stringify({ file, pages: pages.length, batches: batches.length, stored })}\n`);
}

async function retrain(force: boolean, wait: boolean): Promise<void> {
  const api = client();
  let job = (await api.call('POST', '/v1/retrain', { force })).body;
  while (wait && job.state === 'running') {
    await new Promise((r) => setTimeout(r, 500));
    job = (await api.call('GET', `/v1/retrain/${job.id}`)).body;
  }
  process.stdout.write(`${JSON.stringify(job)}\n`);
  if (job.state === 'failed') throw new PagesiftError('internal', `the retrain failed: ${job.reason}`);
  if (job.state === 'kept') {
    process.stderr.write(`not made live: ${job.reason}\n`);
    process.exit(EXIT_KEPT);
  }
}

runCli(async () => {
  const { values, positionals } = parseCliArgs(USAGE, {
    force: { type: 'boolean' }, 'no-wait': { type: 'boolean' }, batch: { type: 'string' },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const [command, arg, ...extra] = positionals;
  if (extra.length > 0) usage(`unexpected arguments: ${extra.join(' ')}`);
  switch (command) {
    case 'add': {
      if (!arg) usage('add needs a JSONL file of labelled pages');
      const batch = Number(values.batch ?? 1000);
      if (!Number.isInteger(batch) || batch < 1) usage(`--batch must be a positive integer, found ${values.batch}`);
      return add(arg, batch);
    }
    case 'retrain':
      return retrain(values.force === true, values['no-wait'] !== true);
    case 'job':
      if (!arg) usage('job needs a job id');
      process.stdout.write(`${JSON.stringify((await client().call('GET', `/v1/retrain/${encodeURIComponent(arg)}`)).body)}\n`);
      return undefined;
    case 'versions': {
      const { live, versions } = (await client().call('GET', '/v1/model/versions')).body as { live: string; versions: { version: string; trainedAt: string; labels: string[] }[] };
      for (const v of versions) process.stdout.write(`${v.version === live ? '*' : ' '} ${v.version}  ${v.trainedAt}  ${v.labels.join(',')}\n`);
      return undefined;
    }
    case 'rollback': {
      const model = (await client().call('POST', '/v1/model/rollback')).body as { version: string };
      process.stdout.write(`live: ${model.version}\n`);
      return undefined;
    }
    default:
      return usage(command ? `unknown command ${JSON.stringify(command)}` : 'a command is needed');
  }
});
