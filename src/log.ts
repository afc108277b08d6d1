/**
 * @module log
 * pino JSON logs. The destination is injectable so tests can capture lines.
 */
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config';

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'pagesift' } };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
