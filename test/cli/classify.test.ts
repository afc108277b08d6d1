import fs from 'node:fs';
import path from 'node:path';
import { SEED_DIR } from '../helpers/app';
import { runCli } from '../helpers/run-cli';

const seed = path.join(SEED_DIR, 'page.txt');

describe('npm run classify', () => {
  test('prints every block of a file with its label and confidence, then a summary and the paywall verdict', () => {
    const out = runCli('cli/classify.js', [seed]);
    expect(out.status).toBe(0);
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(50);
    expect(lines[0]).toMatch(/^\s+0\s+\w+\s+[01]\.\d\d\s+ArrowArtboard/);
    expect(lines.at(-2)).toMatch(/^48 blocks: /);
    expect(lines.at(-1)).toMatch(/^paywall: a wall, but the article is whole \(confidence [01]\.\d\d\)$/);
  });

  test('reads stdin without a file, and --json prints the API response', () => {
    const out = runCli('cli/classify.js', ['--json'], { input: 'Sponsored Content\nClose\n' });
    expect(out.status).toBe(0);
    const body = JSON.parse(out.stdout) as { blocks: { text: string }[]; summary: Record<string, number> };
    expect(body.blocks.map((b) => b.text)).toEqual(['Sponsored Content', 'Close']);
  });

  test('a missing file is one clear line on stderr and exit 1', () => {
    const out = runCli('cli/classify.js', ['/no/such/page.txt']);
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/cannot read \/no\/such\/page.txt/);
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  test('a damaged model file is refused with exit 1', () => {
    const bad = path.join(fs.mkdtempSync('/tmp/pagesift-cli-'), 'model.json');
    fs.writeFileSync(bad, '{"format": "pagesift-model"}');
    const out = runCli('cli/classify.js', ['--model', bad, seed]);
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/model file/);
  });

  test('an unknown option is a usage error, exit 2', () => {
    const out = runCli('cli/classify.js', ['--frobnicate']);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/usage:/);
  });
});
