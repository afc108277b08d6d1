/**
 * @module cli/progress
 * Progress of a long CLI run on stderr: a bar redrawn in place on a terminal, a plain line per step
 * when stderr is a file or a pipe (CI logs stay readable).
 */
export function progress(unit: string): (done: number, total: number, what?: string) => void {
  return (done, total, what) => {
    const step = `${unit} ${done}/${total}${what ? ` ${what}` : ''}`;
    if (!process.stderr.isTTY) {
      process.stderr.write(`${step}\n`);
      return;
    }
    const width = 30;
    const filled = Math.round((done / total) * width);
    process.stderr.write(`\r\x1b[K[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${step}${done === total ? '\n' : ''}`);
  };
}
