import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readLabelledDir } from '../../src/data/labelled-pages';
import { TRAINING_DATA } from '../helpers/app';
import { runCli } from '../helpers/run-cli';

function tmpCorpus(pages: number): { dir: string; data: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pagesift-eval-'));
  const data = path.join(dir, 'data');
  fs.mkdirSync(data);
  const file = fs.readdirSync(TRAINING_DATA).filter((f) => f.endsWith('.jsonl')).sort()[0] as string;
  const lines = fs.readFileSync(path.join(TRAINING_DATA, file), 'utf8').split('\n').filter(Boolean).slice(0, pages);
  fs.writeFileSync(path.join(data, 'pages.jsonl'), `${lines.join('\n')}\n`);
  return { dir, data };
}

describe('npm run evaluate', () => {
  test('cross-validation prints per-label figures, macro-F1, content in characters and the confusion matrix', () => {
    const { data } = tmpCorpus(10);
    const out = runCli('cli/evaluate.js', ['--corpus', data, '--folds', '2']);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/"mode":"cross-validation","folds":2,"seed":1,"pages":10/);
    expect(out.stdout).toMatch(/^content\s+\d\.\d{3}\s+\d\.\d{3}\s+\d\.\d{3}\s+\d+$/m);
    expect(out.stdout).toMatch(/macro-F1 \d\.\d{3}/);
    expect(out.stdout).toMatch(/content in characters: precision \d\.\d{3}/);
    expect(out.stdout).toMatch(/confusion \(rows: truth, columns: predicted\)/);
    expect(out.stderr).toMatch(/fold 2\/2/);
  });

  test('pages with wall/truncated flags also get the page verdict\'s precision and recall, cross-validated by page', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pagesift-eval-'));
    const pages = readLabelledDir(TRAINING_DATA);
    const mix = [...pages.filter((p) => p.wall).slice(0, 8), ...pages.filter((p) => !p.wall).slice(0, 8)];
    fs.writeFileSync(path.join(dir, 'pages.jsonl'), `${mix.map((p) => JSON.stringify(p)).join('\n')}\n`);
    const out = runCli('cli/evaluate.js', ['--corpus', dir, '--folds', '2']);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/page verdict over 16 pages with wall\/truncated flags/);
    expect(out.stdout).toMatch(/^wall\s+precision \d\.\d{3}\s+recall \d\.\d{3}\s+f1 \d\.\d{3}\s+\(8 pages true\)$/m);
    expect(out.stdout).toMatch(/^truncated\s+precision \d\.\d{3}/m);
    const json = JSON.parse(runCli('cli/evaluate.js', ['--corpus', dir, '--folds', '2', '--json']).stdout) as { paywall: { pages: number; wall: { support: number } } };
    expect(json.paywall).toMatchObject({ pages: 16, wall: { support: 8 } });
  });

  test('--json gives the same figures as JSON', () => {
    const { data } = tmpCorpus(10);
    const out = runCli('cli/evaluate.js', ['--corpus', data, '--folds', '2', '--json']);
    const body = JSON.parse(out.stdout) as { macroF1: number; perLabel: unknown[]; confusion: Record<string, unknown> };
    expect(body.macroF1).toBeGreaterThan(0);
    expect(body.perLabel.length).toBeGreaterThan(1);
    expect(body.confusion).toHaveProperty('content');
  });

  test('--group gives the figures again per page id prefix and for the rest; every report gives the headline recall', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pagesift-group-'));
    const files = fs.readdirSync(TRAINING_DATA).filter((f) => f.endsWith('.jsonl')).sort();
    const pick = (file: string): string[] => fs.readFileSync(path.join(TRAINING_DATA, file), 'utf8').split('\n').filter(Boolean).slice(0, 5);
    const [first, second] = [pick(files[0] as string), pick(files[files.length - 1] as string)];
    fs.writeFileSync(path.join(dir, 'pages.jsonl'), `${[...first, ...second].join('\n')}\n`);
    const prefix = (JSON.parse(first[0] as string) as { id: string }).id.split('-')[0] as string;
    const inGroup = [...first, ...second].filter((l) => (JSON.parse(l) as { id: string }).id.startsWith(`${prefix}-`)).length;

    const table = runCli('cli/evaluate.js', ['--corpus', dir, '--folds', '2', '--group', `${prefix}-`]);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/^headline \(each page's first content block\) kept on \d+ of 10 pages: \d\.\d{3}/m);
    expect(table.stdout).toMatch(/^by page group \(page id prefix\)$/m);
    expect(table.stdout).toMatch(new RegExp(`^${prefix}-\\s+${inGroup}\\s+\\d\\.\\d{3}`, 'm'));
    expect(table.stdout).toMatch(new RegExp(`^rest\\s+${10 - inGroup}\\s+\\d\\.\\d{3}`, 'm'));

    const whole = JSON.parse(runCli('cli/evaluate.js', ['--corpus', dir, '--folds', '2', '--json', '--group', `${prefix}-`]).stdout) as {
      headline: { pages: number; kept: number }; groups: { group: string; pages: number; headline: { pages: number; kept: number } }[];
    };
    const pagesWithContent = [...first, ...second].filter((l) => (JSON.parse(l) as { blocks: { label: string }[] }).blocks.some((b) => b.label === 'content')).length;
    expect(whole.headline.pages).toBe(pagesWithContent);
    expect(whole.groups.map((g) => g.group)).toEqual([`${prefix}-`, 'rest']);
    expect(whole.groups.reduce((n, g) => n + g.pages, 0)).toBe(10);
    expect(whole.groups.reduce((n, g) => n + g.headline.kept, 0)).toBe(whole.headline.kept);
    expect(whole.groups.reduce((n, g) => n + g.headline.pages, 0)).toBe(pagesWithContent);
  });

  test('--group with an empty prefix is a usage error, before any training', () => {
    const { data } = tmpCorpus(4);
    const out = runCli('cli/evaluate.js', ['--corpus', data, '--folds', '2', '--group', 'a-,,b-']);
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/--group must be page id prefixes separated by commas/);
  });

  test('--data --binary scores content against other, with the benchmark\'s shingle F1 and headlines left out', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pagesift-binary-'));
    const file = path.join(dir, 'binary.jsonl');
    const body = 'The harbour board met on Tuesday evening and voted to repair the old sea wall before winter.';
    fs.writeFileSync(file, `${JSON.stringify({
      id: 'b1',
      blocks: [
        { label: 'other', text: 'Home News Sport Business Culture' },
        { label: 'other', text: 'Harbour board votes for sea wall repairs', headline: true },
        { label: 'content', text: body },
        { label: 'other', text: 'Share on Facebook Share on X Email' },
      ],
      truth: body,
    })}\n`);
    const out = runCli('cli/evaluate.js', ['--data', file, '--binary', '--json']);
    expect(out.status).toBe(0);
    const result = JSON.parse(out.stdout) as {
      labels: string[];
      benchmark: { f1: number };
      confusion: Record<string, Record<string, number>>;
      whereLost: { part: string; blocks: number; score: { f1: number } }[];
    };
    expect(result.labels.every((l) => l === 'content' || l === 'other')).toBe(true);
    expect(result.benchmark.f1).toBeGreaterThanOrEqual(0);
    expect(result.benchmark.f1).toBeLessThanOrEqual(1);
    // Where it is lost: every part, and the blocks each changes add up to the confusion matrix's
    // errors (a kept headline is wrong there but never counted by the benchmark).
    expect(result.whereLost.map((l) => l.part)).toEqual(['before', 'header', 'inside', 'after', 'missed']);
    const wronglyKept = result.whereLost.slice(0, 4).reduce((n, l) => n + l.blocks, 0);
    const keptHeadlines = (result.confusion.other?.content ?? 0) - wronglyKept;
    expect([0, 1]).toContain(keptHeadlines); // the page has one headline
    expect(result.whereLost[4]?.blocks).toBe(result.confusion.content?.other ?? 0);
    const table = runCli('cli/evaluate.js', ['--data', file, '--binary']);
    expect(table.stdout).toMatch(/where the benchmark F1 is lost/);
    expect(table.stdout).toMatch(/wrongly kept below the article, dropped/);
  });

  test('--worst-pages N lists the N pages with the lowest benchmark F1, worst first, by id and site; it needs --data with truth', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pagesift-worst-'));
    const file = path.join(dir, 'binary.jsonl');
    const body = 'The harbour board met on Tuesday evening and voted to repair the old sea wall before winter.';
    const page = (id: string, truth: string): string => JSON.stringify({
      id,
      site: `${id}.example`,
      blocks: [
        { label: 'other', text: 'Home News Sport Business Culture' },
        { label: 'content', text: body },
        { label: 'other', text: 'Share on Facebook Share on X Email' },
      ],
      truth,
    });
    // The first page's truth is nowhere on it: whatever the model keeps, its recall is 0 and it is worst.
    fs.writeFileSync(file, `${[page('a-missing', 'Words that appear nowhere on this page at all'), page('b-found', body), page('c-found', body)].join('\n')}\n`);
    const out = runCli('cli/evaluate.js', ['--data', file, '--binary', '--worst-pages', '2']);
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/the 2 pages with the lowest benchmark shingle F1/);
    expect(out.stdout).toMatch(/^a-missing\s+a-missing\.example\s+(-|\d\.\d{3})\s+0\.000\s+0\.000$/m);
    const json = JSON.parse(runCli('cli/evaluate.js', ['--data', file, '--binary', '--worst-pages', '2', '--json']).stdout) as { worstPages: { id: string; site: string; recall: number; f1: number }[] };
    expect(json.worstPages).toHaveLength(2);
    expect(json.worstPages[0]).toMatchObject({ id: 'a-missing', site: 'a-missing.example', recall: 0, f1: 0 });
    expect((json.worstPages[0] as { f1: number }).f1).toBeLessThanOrEqual((json.worstPages[1] as { f1: number }).f1);

    const noData = runCli('cli/evaluate.js', ['--worst-pages', '2']);
    expect(noData.status).toBe(1);
    expect(noData.stderr).toMatch(/--worst-pages needs --data FILE/);
    const noTruth = path.join(dir, 'six.jsonl');
    fs.writeFileSync(noTruth, `${JSON.stringify({ id: 'p1', blocks: [{ label: 'content', text: body }] })}\n`);
    const bad = runCli('cli/evaluate.js', ['--data', noTruth, '--worst-pages', '2']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--worst-pages needs pages with a "truth" text/);
  });

  test('--record stores the figures in the model metadata without changing its version', () => {
    const { dir, data } = tmpCorpus(8);
    const model = path.join(dir, 'model.json');
    expect(runCli('cli/train.js', ['--data', data, '--out', model]).status).toBe(0);
    const before = JSON.parse(fs.readFileSync(model, 'utf8')) as { version: string };
    const out = runCli('cli/evaluate.js', ['--corpus', data, '--folds', '2', '--model', model, '--record']);
    expect(out.status).toBe(0);
    const after = JSON.parse(fs.readFileSync(model, 'utf8')) as { version: string; evaluation: { macroF1: number; folds: number; pages: number } };
    expect(after.version).toBe(before.version);
    expect(after.evaluation).toMatchObject({ folds: 2, pages: 8 });
    // Retraining the same data keeps the recorded figures and the bytes.
    const bytes = fs.readFileSync(model);
    expect(runCli('cli/train.js', ['--data', data, '--out', model]).status).toBe(0);
    expect(fs.readFileSync(model).equals(bytes)).toBe(true);
  });

  test('--until stops at an earlier stage, to measure what each stage adds; a bad stage is a usage error', () => {
    const { data } = tmpCorpus(10);
    const out = runCli('cli/evaluate.js', ['--corpus', data, '--folds', '2', '--until', 'score', '--json']);
    expect(out.status).toBe(0);
    expect((JSON.parse(out.stdout) as { setup: { until: string } }).setup.until).toBe('score');
    const bad = runCli('cli/evaluate.js', ['--corpus', data, '--until', 'everything']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--until must be one of score, calibrate, sequence, neighbours, start/);
  });

  test('--no-article-start cross-validates without the article-start pass, and says so', () => {
    const { data } = tmpCorpus(10);
    const run = (extra: string[]): { setup: { options: { articleStart: boolean } }; macroF1: number } =>
      JSON.parse(runCli('cli/evaluate.js', ['--corpus', data, '--folds', '2', '--json', ...extra]).stdout);
    expect(run([]).setup.options.articleStart).toBe(true);
    const without = run(['--no-article-start']);
    expect(without.setup.options.articleStart).toBe(false);
    expect(without.macroF1).toBeGreaterThan(0);
  });

  test('--train-fraction trains each fold on a share of its pages and tests on the same held-out pages (a learning curve)', () => {
    const { dir, data } = tmpCorpus(10);
    const full = JSON.parse(runCli('cli/evaluate.js', ['--corpus', data, '--folds', '2', '--json']).stdout) as { setup: Record<string, unknown>; perLabel: { support: number }[] };
    const part = runCli('cli/evaluate.js', ['--corpus', data, '--folds', '2', '--train-fraction', '0.4', '--json']);
    expect(part.status).toBe(0);
    const body = JSON.parse(part.stdout) as typeof full;
    // Each fold holds out 5 pages and trains on 2 of the other 5.
    expect(body.setup).toMatchObject({ mode: 'cross-validation', pages: 10, trainFraction: 0.4, trainedOn: [2, 2] });
    expect(full.setup).not.toHaveProperty('trainFraction');
    // Every block of every page is still scored once: only the training side shrinks.
    const blocks = (m: typeof full): number => m.perLabel.reduce((n, l) => n + l.support, 0);
    expect(blocks(body)).toBe(blocks(full));
    for (const bad of ['1.5', '0', 'half']) {
      const out = runCli('cli/evaluate.js', ['--corpus', data, '--train-fraction', bad]);
      expect(out.status).toBe(2);
      expect(out.stderr).toMatch(/--train-fraction must be/);
    }
    const model = path.join(dir, 'model.json');
    expect(runCli('cli/train.js', ['--data', data, '--out', model]).status).toBe(0);
    const before = fs.readFileSync(model);
    const record = runCli('cli/evaluate.js', ['--corpus', data, '--folds', '2', '--train-fraction', '0.5', '--model', model, '--record']);
    expect(record.status).toBe(1);
    expect(record.stderr).toMatch(/drop --train-fraction/);
    expect(fs.readFileSync(model).equals(before)).toBe(true);
  });

  test('--article-only tests each held-out page from 0, 1 or 2 blocks before its first content block, as an article container', () => {
    const { dir, data } = tmpCorpus(9);
    const pages = fs.readFileSync(path.join(data, 'pages.jsonl'), 'utf8').split('\n').filter(Boolean)
      .map((line) => JSON.parse(line) as { blocks: { label: string }[] });
    // Taking turns by page: the first page from its headline, the second from one block before it...
    const kept = pages.reduce((n, page, i) => {
      const head = page.blocks.findIndex((b) => b.label === 'content');
      return n + page.blocks.length - (head > 0 ? Math.max(0, head - (i % 3)) : 0);
    }, 0);
    expect(kept).toBeLessThan(pages.reduce((n, p) => n + p.blocks.length, 0));
    const out = runCli('cli/evaluate.js', ['--corpus', data, '--folds', '3', '--article-only', '--json']);
    expect(out.status).toBe(0);
    const body = JSON.parse(out.stdout) as { setup: Record<string, unknown>; perLabel: { support: number }[] };
    expect(body.setup).toMatchObject({ mode: 'cross-validation', articleOnly: true });
    expect(body.perLabel.reduce((n, l) => n + l.support, 0)).toBe(kept);
    const model = path.join(dir, 'model.json');
    expect(runCli('cli/train.js', ['--data', data, '--out', model]).status).toBe(0);
    const before = fs.readFileSync(model);
    const record = runCli('cli/evaluate.js', ['--corpus', data, '--folds', '3', '--article-only', '--model', model, '--record']);
    expect(record.status).toBe(1);
    expect(record.stderr).toMatch(/drop --article-only/);
    expect(fs.readFileSync(model).equals(before)).toBe(true);
    const withData = runCli('cli/evaluate.js', ['--data', path.join(data, 'pages.jsonl'), '--article-only']);
    expect(withData.status).toBe(1);
    expect(withData.stderr).toMatch(/drop --data/);
  });

  test('--errors lists blocks of one confusion cell with the blocks around them, read from the pages as tested', () => {
    const { data } = tmpCorpus(10);
    const args = ['--corpus', data, '--folds', '2', '--json'];
    const pages = new Map(fs.readFileSync(path.join(data, 'pages.jsonl'), 'utf8').split('\n').filter(Boolean)
      .map((line) => JSON.parse(line) as { id: string; blocks: { text: string; label: string }[] }).map((p) => [p.id, p.blocks]));
    // The largest cell off the diagonal, so there are errors to list.
    const { confusion } = JSON.parse(runCli('cli/evaluate.js', args).stdout) as { confusion: Record<string, Record<string, number>> };
    const [truth, predicted, count] = Object.entries(confusion)
      .flatMap(([t, row]) => Object.entries(row).filter(([p]) => p !== t).map(([p, n]) => [t, p, n] as const))
      .sort((a, b) => b[2] - a[2])[0] as readonly [string, string, number];
    expect(count).toBeGreaterThan(0);
    const out = runCli('cli/evaluate.js', [...args, '--errors', `${truth}:${predicted}`]);
    expect(out.status).toBe(0);
    const { errors } = JSON.parse(out.stdout) as { errors: { truth: string; predicted: string; total: number; shown: { page: string; block: number; text: string; before: string | null; after: string | null }[] } };
    expect(errors).toMatchObject({ truth, predicted, total: count });
    expect(errors.shown).toHaveLength(Math.min(20, count));
    for (const e of errors.shown) {
      const blocks = pages.get(e.page) as { text: string; label: string }[];
      expect(blocks[e.block]).toEqual({ text: e.text, label: truth });
      expect(e.before).toBe(blocks[e.block - 1]?.text ?? null);
      expect(e.after).toBe(blocks[e.block + 1]?.text ?? null);
    }
    const table = runCli('cli/evaluate.js', ['--corpus', data, '--folds', '2', '--errors', `${truth}:${predicted}`]);
    expect(table.stdout).toContain(`errors ${truth} -> ${predicted}: ${count} blocks, ${Math.min(20, count)} shown`);
    // A malformed cell is a usage error before any training; a label the data lacks is named.
    const malformed = runCli('cli/evaluate.js', ['--corpus', data, '--errors', truth]);
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toMatch(/--errors must be TRUTH:PREDICTED/);
    const unknown = runCli('cli/evaluate.js', ['--corpus', data, '--folds', '2', '--errors', `${truth}:headline`]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/no block is labelled or predicted "headline"/);
  });

  test('--record refuses a model this data did not train', () => {
    const { dir, data } = tmpCorpus(8);
    const model = path.join(dir, 'model.json');
    const other = tmpCorpus(5);
    expect(runCli('cli/train.js', ['--data', other.data, '--out', model]).status).toBe(0);
    const out = runCli('cli/evaluate.js', ['--corpus', data, '--folds', '2', '--model', model, '--record']);
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/run `npm run train` first/);
  });
});
