/**
 * npm run admin, as a process, against the real server process.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readLabelledDir } from '../../src/data/labelled-pages';
import { ADMIN_TOKEN, smallCorpus, TRAINING_DATA } from '../helpers/app';
import { runCli } from '../helpers/run-cli';
import { startServer, tempDir } from '../helpers/server';

describe('npm run admin', () => {
  test('adds a file of pages (twice: stored once), retrains, lists versions and rolls back', async () => {
    const server = startServer({ ADMIN_TOKEN, TRAINING_DATA_DIR: smallCorpus(20) });
    const port = await server.ready;
    const env = { ADMIN_TOKEN, PAGESIFT_URL: `http://127.0.0.1:${port}` };
    const file = path.join(tempDir('admin-cli'), 'new.jsonl');
    const pages = readLabelledDir(TRAINING_DATA).slice(100, 106).map((p) => ({ ...p, id: `new-${p.id}` }));
    fs.writeFileSync(file, `${pages.map((p) => JSON.stringify(p)).join('\n')}\n`);

    const first = runCli('cli/admin.js', ['add', file, '--batch', '150'], { env });
    expect(first.status).toBe(0);
    const added = JSON.parse(first.stdout) as { pages: number; batches: number; stored: number };
    expect(added.pages).toBe(6);
    expect(added.batches).toBeGreaterThan(1);
    expect(added.stored).toBe(added.batches);
    const again = runCli('cli/admin.js', ['add', file, '--batch', '150'], { env });
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ stored: 0 });

    const shipped = (await (await fetch(`${env.PAGESIFT_URL}/v1/model`)).json()) as { version: string };
    const retrained = runCli('cli/admin.js', ['retrain'], { env });
    expect(retrained.status).toBe(0);
    const job = JSON.parse(retrained.stdout) as { state: string; version: string; examples: { blocks: number } };
    expect(job.state).toBe('activated');
    expect(job.examples.blocks).toBe(pages.reduce((n, p) => n + p.blocks.length, 0));

    const versions = runCli('cli/admin.js', ['versions'], { env });
    expect(versions.status).toBe(0);
    expect(versions.stdout).toContain(`* ${job.version}`);
    expect(versions.stdout).toContain(`  ${shipped.version}`);

    const rollback = runCli('cli/admin.js', ['rollback'], { env });
    expect(rollback.stdout.trim()).toBe(`live: ${shipped.version}`);
    const noMore = runCli('cli/admin.js', ['rollback'], { env });
    expect(noMore.status).toBe(1);
    expect(noMore.stderr).toMatch(/409 conflict: there is no earlier model version/);

    const wrong = runCli('cli/admin.js', ['versions'], { env: { ...env, ADMIN_TOKEN: 'not-the-right-token' } });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/401 unauthorized/);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  test.each([
    ['no ADMIN_TOKEN', ['versions'], { ADMIN_TOKEN: '' }, 2, /ADMIN_TOKEN is not set/],
    ['an unknown command', ['frobnicate'], { ADMIN_TOKEN }, 2, /unknown command "frobnicate"/],
    ['add without a file', ['add'], { ADMIN_TOKEN }, 2, /add needs a JSONL file/],
    ['a service that is not there', ['versions'], { ADMIN_TOKEN, PAGESIFT_URL: 'http://127.0.0.1:9' }, 1, /cannot reach the service/],
  ])('%s: a clear message and exit code', (_name, args, env, status, message) => {
    const res = runCli('cli/admin.js', args as string[], { env: env as NodeJS.ProcessEnv });
    expect(res.status).toBe(status);
    expect(res.stderr).toMatch(message as RegExp);
  });
});
