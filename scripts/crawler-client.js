#!/usr/bin/env node
/**
 * An example crawler client: sends every page (*.txt, one scraped page each) in a directory to
 * pagesift and keeps only the article text. It is what a crawler beside pagesift does; compose.yaml
 * runs it on the compose network, and scripts/container-test.sh runs it against the container.
 *   PAGESIFT_URL   where pagesift answers (default http://pagesift:8080, its compose service name)
 *   PAGES_DIR      the scraped pages (default /pages)
 *   OUT_DIR        where each page's article text goes, as <name>.content.txt (default: stdout only)
 * Waits up to 60 s for pagesift to be ready; exits 1 if a page cannot be classified.
 */
const fs = require('node:fs');
const path = require('node:path');

const url = (process.env.PAGESIFT_URL ?? 'http://pagesift:8080').replace(/\/+$/, '');
const pagesDir = process.env.PAGES_DIR ?? '/pages';
const outDir = process.env.OUT_DIR;

async function waitForReady() {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${url}/ready`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`pagesift at ${url} was not ready within 60 s`);
}

(async () => {
  await waitForReady();
  const files = fs.readdirSync(pagesDir).filter((f) => f.endsWith('.txt')).sort();
  for (const file of files) {
    const text = fs.readFileSync(path.join(pagesDir, file), 'utf8');
    const res = await fetch(`${url}/v1/classify`, { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' }, body: text });
    const body = await res.json();
    if (!res.ok) throw new Error(`${file}: ${res.status} ${body.error?.code}: ${body.error?.message}`);
    const kept = body.summary.content;
    // A teaser cut off by a wall is not the article: index it as incomplete, or fetch it again signed in.
    const cut = body.paywall?.truncated ? ', cut off by a paywall' : '';
    process.stderr.write(`${file}: kept ${kept} of ${body.blocks.length} blocks (model ${body.model.version})${cut}\n`);
    if (outDir) fs.writeFileSync(path.join(outDir, `${path.basename(file, '.txt')}.content.txt`), `${body.content}\n`);
    else process.stdout.write(`${body.content}\n`);
  }
})().catch((error) => {
  process.stderr.write(`crawler-client: ${error.message}\n`);
  process.exit(1);
});
