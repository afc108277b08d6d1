/** The real server process (npm test builds dist/ first), on a free port, with its stdout captured. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './app';

export const SERVER = path.join(ROOT, 'dist', 'server.js');

export interface ServerProcess {
  readonly child: ChildProcess;
  /** The environment it was started with (DATA_DIR included). */
  readonly env: NodeJS.ProcessEnv;
  /** Resolves with the port once the server logs "ready"; rejects if it exits first. */
  readonly ready: Promise<number>;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `pagesift-${prefix}-`));
}

/** Starts the server; DATA_DIR is a fresh directory and WORKERS is 1 unless `env` says otherwise. */
export function startServer(env: NodeJS.ProcessEnv = {}, cwd = ROOT): ServerProcess {
  const fullEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: tempDir('data'), WORKERS: '1', ...env };
  const child = spawn(process.execPath, [SERVER], { cwd, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => { stdout += d.toString('utf8'); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<number>((resolve, reject) => {
    child.stdout?.on('data', () => {
      const line = stdout.split('\n').find((l) => l.includes('"msg":"ready"'));
      if (line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.on('exit', (code, signal) => reject(new Error(`server exited with ${code ?? signal}: ${stdout}`)));
  });
  ready.catch(() => undefined); // a test that kills the server does not await readiness
  return { child, env: fullEnv, ready, output: () => stdout, exited };
}
