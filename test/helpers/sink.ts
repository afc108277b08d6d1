/** An in-memory log destination: every pino line, parsed. */
import { Writable } from 'node:stream';

export interface Sink {
  readonly stream: Writable;
  readonly lines: Record<string, unknown>[];
}

export function sink(): Sink {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { stream, lines };
}
