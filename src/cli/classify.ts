/**
 * @module cli/classify
 * npm run classify -- FILE (or page text on stdin): prints every block with its label and
 * confidence, so people can look before they wire the service in. --json prints the API response.
 */
import fs from 'node:fs';
import { DEFAULT_MODEL_PATH } from '../config';
import { classifyPage } from '../pipeline/classify';
import { compileModel } from '../model/runtime-model';
import { readModel } from '../model/store';
import { parseCliArgs, runCli, EXIT_FAILURE } from './args';

const USAGE = 'usage: npm run classify -- [FILE] [--json] [--model FILE]   (reads stdin without FILE)';

function readInput(file: string | undefined): string {
  try {
    return fs.readFileSync(file ?? 0, 'utf8');
  } catch (error) {
    process.stderr.write(`error: cannot read ${file ?? 'stdin'}: ${(error as Error).message}\n`);
    process.exit(EXIT_FAILURE);
  }
}

runCli(() => {
  const { values, positionals } = parseCliArgs(USAGE, { json: { type: 'boolean' }, model: { type: 'string' } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const model = compileModel(readModel(values.model ?? DEFAULT_MODEL_PATH));
  const result = classifyPage({ text: readInput(positionals[0]) }, model, { maxBlocks: Number.MAX_SAFE_INTEGER });
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ model: { version: model.file.version }, ...result }, null, 2)}\n`);
    return;
  }
  const width = Math.max(...model.file.labels.map((l) => l.length));
  for (const block of result.blocks) {
    const text = block.text.length > 100 ? `${block.text.slice(0, 99)}…` : block.text;
    process.stdout.write(`${String(block.index).padStart(4)}  ${block.label.padEnd(width)}  ${block.confidence.toFixed(2)}  ${text}\n`);
  }
  const summary = Object.entries(result.summary).map(([l, n]) => `${l} ${n}`).join(', ');
  process.stdout.write(`${result.blocks.length} blocks: ${summary}\n`);
  const verdict = result.paywall;
  if (verdict) {
    const what = !verdict.wall ? 'no wall' : verdict.truncated ? 'a wall, and the article is cut off by it' : 'a wall, but the article is whole';
    process.stdout.write(`paywall: ${what} (confidence ${verdict.confidence.toFixed(2)})\n`);
  }
});
