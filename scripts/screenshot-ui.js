#!/usr/bin/env node
/**
 * Takes docs/labelling-page.png, the README's screenshot of the labelling page: the seed page
 * classified, with one label corrected. Needs `npm run build` and Chromium (scripts/ensure-chromium.sh).
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '..');
(async () => {
  const server = spawn(process.execPath, ['dist/server.js'], { cwd: ROOT, env: { ...process.env, PORT: '0', HOST: '127.0.0.1', WORKERS: '1', DATA_DIR: fs.mkdtempSync('/tmp/shot-') }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve) => {
    let out = '';
    server.stdout.on('data', (d) => { out += d; const m = /"port":(\d+)[^\n]*"msg":"ready"/.exec(out); if (m) resolve(Number(m[1])); });
  });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking'] });
  const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.getByLabel('Page text (one block a line)').fill(fs.readFileSync(path.join(ROOT, 'test/fixtures/pages/seed-page/page.txt'), 'utf8'));
  await page.getByRole('button', { name: 'Classify' }).click();
  await page.locator('#blocks > li').nth(47).waitFor();
  await page.getByLabel('Label of block 1', { exact: true }).selectOption('caption');
  // The top of the result: legend, summary, the corrected block and the first blocks after it.
  const box = await page.locator('#result').boundingBox();
  await page.screenshot({ path: path.join(ROOT, 'docs', 'labelling-page.png'), fullPage: true, clip: { x: box.x, y: box.y, width: box.width, height: 900 } });
  await browser.close();
  server.kill('SIGTERM');
})();
