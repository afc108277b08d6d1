#!/usr/bin/env node
/**
 * The benchmark's baseline: an Express 5 endpoint that parses the same JSON body as
 * POST /v1/classify, logs the request the same way (pino-http), and returns a small JSON.
 * usage: PORT=… node scripts/bench-noop-server.js (prints {"port": …} when listening)
 */
const express = require('express');
const pino = require('pino');
const { pinoHttp } = require('pino-http');

// BENCH_REPLY_FILE: answer with this JSON instead (the service's real answer to the page), to
// measure what sending an answer of that size costs with no work behind it.
const reply = process.env.BENCH_REPLY_FILE ? JSON.parse(require('fs').readFileSync(process.env.BENCH_REPLY_FILE, 'utf8')) : undefined;

const app = express();
app.use(pinoHttp({ logger: pino({ base: { service: 'noop' } }) }));
app.post('/noop', express.json({ limit: 5 * 1024 * 1024 }), (req, res) => {
  res.json(reply ?? { ok: true, chars: typeof req.body.text === 'string' ? req.body.text.length : 0 });
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stderr.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
