import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TRAINING_DATA } from '../helpers/app';
import { runCli } from '../helpers/run-cli';

function tmpCorpus(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pagesift-train-'));
  const data = path.join(dir, 'data');
  fs.mkdirSync(data);
  // A few pages of the real corpus keep this test quick; the CLI reads any directory.
  const lines = fs.readFileSync(path.join(TRAINING_DATA, fs.readdirSync(TRAINING_DATA).filter((f) => f.endsWith('.jsonl')).sort()[0] as string), 'utf8').split('\n').filter(Boolean).slice(0, 8);
  fs.writeFileSync(path.join(data, 'pages.jsonl'), `${lines.join('\n')}\n`);
  return dir;
}

describe('npm run train', () => {
  test('writes a model file and rewrites it byte-identical from the same data', () => {
    const dir = tmpCorpus();
    const out = path.join(dir, 'models', 'm.json');
    const first = runCli('cli/train.js', ['--data', path.join(dir, 'data'), '--out', out]);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/trained on 8 pages/);
    // Progress on stderr: one plain line per step when it is not a terminal, then the summary.
    // Each step says how long it took.
    const steps = first.stderr.trim().split('\n');
    expect(steps.map((line) => line.replace(/ \(\d+\.\d s\)$/, ''))).toEqual(['step 1/6 featurized and counted', 'step 2/6 calibration folds scored', 'step 3/6 calibration fitted', 'step 4/6 neighbour pass fitted', 'step 5/6 article start fitted', 'step 6/6 page verdict trained']);
    for (const line of steps) expect(line).toMatch(/ \(\d+\.\d s\)$/);
    const bytes = fs.readFileSync(out);
    const second = runCli('cli/train.js', ['--data', path.join(dir, 'data'), '--out', out]);
    expect(second.status).toBe(0);
    expect(fs.readFileSync(out).equals(bytes)).toBe(true);
  });

  test('a bad training line is reported as file:line and nothing is written', () => {
    const dir = tmpCorpus();
    fs.appendFileSync(path.join(dir, 'data', 'pages.jsonl'), '{"id": "bad", "blocks": [{"label": "Content!", "text": "x"}]}\n');
    const out = path.join(dir, 'm.json');
    const res = runCli('cli/train.js', ['--data', path.join(dir, 'data'), '--out', out]);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/pages\.jsonl:9: blocks\[0\]\.label must be/);
    expect(fs.existsSync(out)).toBe(false);
  });
});
