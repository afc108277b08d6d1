/** The real server process: JSON-only stdout, readiness, config errors, SIGTERM. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './helpers/app';
import { SERVER, startServer } from './helpers/server';

function start(env: NodeJS.ProcessEnv, cwd = ROOT) {
  return startServer(env, cwd);
}

describe('the server process', () => {
  test('serves, logs only JSON to stdout, ignores a .env in its directory, and exits 0 on SIGTERM', async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'pagesift-server-'));
    fs.writeFileSync(path.join(cwd, '.env'), 'MAX_BLOCKS=1\n');
    const { child, ready, output } = start({ DOTENV_CONFIG_QUIET: '' }, cwd);
    const port = await ready;
    const res = await fetch(`http://127.0.0.1:${port}/v1/classify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'a\nb\nc' }) });
    expect(res.status).toBe(200); // MAX_BLOCKS=1 from .env would have made this a 413
    expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines = output().trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(lines.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
  });

  test('finishes a request in flight after SIGTERM', async () => {
    const { child, ready } = start({});
    const port = await ready;
    const body = JSON.stringify({ text: 'Council approves harbour budget\nThe council approved the budget on Tuesday evening.' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // Half the body goes out, then SIGTERM, then the rest: the request is in flight when the signal lands.
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/v1/classify', method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => { text += d.toString('utf8'); });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.write(body.slice(0, 20));
      setTimeout(() => {
        child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(20)), 200);
      }, 200);
    });
    const res = await response;
    expect(res.status).toBe(200);
    expect((JSON.parse(res.body) as { blocks: unknown[] }).blocks).toHaveLength(2);
    expect(await exited).toBe(0);
  });

  test('slow clients cannot hold a connection: stalled headers, a stalled body and an idle keep-alive are cut off', async () => {
    const { child, ready } = start({ HEADERS_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: '2000', KEEP_ALIVE_TIMEOUT_MS: '1000' });
    const port = await ready;
    /** Opens a raw connection, writes `data`, and resolves with what came back and when the server closed it. */
    const hold = (data: string) => new Promise<{ ms: number; reply: string }>((resolve, reject) => {
      const started = Date.now();
      const socket = net.connect(port, '127.0.0.1', () => socket.write(data));
      let reply = '';
      socket.on('data', (d: Buffer) => { reply += d.toString('utf8'); });
      socket.on('close', () => resolve({ ms: Date.now() - started, reply }));
      socket.on('error', reject);
      setTimeout(() => reject(new Error('the server kept the connection open')), 10_000).unref();
    });
    const [headers, body, idle] = await Promise.all([
      hold('POST /v1/classify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'),
      hold('POST /v1/classify HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"text": "hal'),
      hold('GET /health HTTP/1.1\r\nHost: x\r\n\r\n'),
    ]);
    expect(headers.ms).toBeLessThan(5000);
    expect(headers.reply).toMatch(/^HTTP\/1.1 408/);
    expect(body.ms).toBeLessThan(6000);
    expect(body.reply).toMatch(/^HTTP\/1.1 408/);
    expect(idle.reply).toMatch(/^HTTP\/1.1 200/);
    expect(idle.ms).toBeLessThan(5000);
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    child.kill('SIGTERM');
  });

  test.each([
    ['PORT', 'eighty', /PORT="eighty" is invalid: expected an integer/],
    ['MAX_BODY_BYTES', '-5', /MAX_BODY_BYTES="-5" is invalid/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL="loud" is invalid: expected one of/],
    ['MODEL_PATH', '/no/such/model.json', /cannot read model file \/no\/such\/model.json/],
  ])('invalid %s fails fast with a clear message and exit 1', (name, value, message) => {
    const res = spawnSync(process.execPath, [SERVER], { env: { ...process.env, PORT: '0', [name]: value }, encoding: 'utf8', timeout: 20_000 });
    expect(res.status).toBe(1);
    const last = JSON.parse(res.stdout.trim().split('\n').at(-1) as string) as { msg: string; level: number };
    expect(last.level).toBe(60);
    expect(last.msg).toMatch(message);
  });
});
