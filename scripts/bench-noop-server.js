#!/usr/bin/env node
/**
 * The benchmark's baseline: an Express 5 endpoint that parses the same JSON body as
 * POST /v1/classify, logs the request the same way (pino-http), and returns a small JSON.
 * usage: PORT=… node scripts/bench-noop-server.js (prints {"port": …} when listening)
 */
const express = require('express');
const pino = require('pino');
const { pinoHttp } = require('pino-http');

const app = express();
app.use(pinoHttp({ logger: pino({ base: { service: 'noop' } }) }));
app.post('/noop', express.json({ limit: 5 * 1024 * 1024 }), (req, res) => {
  res.json({ ok: true, chars: typeof req.body.text === 'string' ? req.body.text.length : 0 });
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stderr.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
