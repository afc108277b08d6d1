/**
 * @module config
 * The only reader of process.env. Every value is checked at start: a bad value stops the service
 * with a message naming the variable, the value and what was expected.
 */
import path from 'node:path';
import { PagesiftError } from './errors';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly logLevel: LogLevel;
  readonly modelPath: string;
  readonly maxBodyBytes: number;
  readonly maxBlocks: number;
}

/** The shipped model, relative to the project root (dist/ and src/ both sit one level below it). */
export const DEFAULT_MODEL_PATH = path.resolve(__dirname, '..', 'models', 'pagesift-model.json');

export const DEFAULTS = {
  PORT: '8080',
  HOST: '0.0.0.0',
  LOG_LEVEL: 'info',
  MAX_BODY_BYTES: String(5 * 1024 * 1024),
  MAX_BLOCKS: '20000',
} as const;

function fail(name: string, value: string, expected: string): never {
  throw new PagesiftError('config_invalid', `${name}=${JSON.stringify(value)} is invalid: expected ${expected}`);
}

function readInteger(env: NodeJS.ProcessEnv, name: keyof typeof DEFAULTS, min: number, max: number): number {
  const raw = env[name] ?? DEFAULTS[name];
  if (!/^\d+$/.test(raw.trim())) fail(name, raw, `an integer from ${min} to ${max}`);
  const value = Number(raw.trim());
  if (value < min || value > max) fail(name, raw, `an integer from ${min} to ${max}`);
  return value;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const logLevel = (env.LOG_LEVEL ?? DEFAULTS.LOG_LEVEL).trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    fail('LOG_LEVEL', env.LOG_LEVEL ?? '', `one of ${LOG_LEVELS.join(', ')}`);
  }
  const host = (env.HOST ?? DEFAULTS.HOST).trim();
  if (host === '') fail('HOST', env.HOST ?? '', 'a host name or address');
  const modelPath = env.MODEL_PATH?.trim() ? path.resolve(env.MODEL_PATH.trim()) : DEFAULT_MODEL_PATH;

  return Object.freeze({
    port: readInteger(env, 'PORT', 0, 65535),
    host,
    logLevel: logLevel as LogLevel,
    modelPath,
    maxBodyBytes: readInteger(env, 'MAX_BODY_BYTES', 1024, 1024 * 1024 * 1024),
    maxBlocks: readInteger(env, 'MAX_BLOCKS', 1, 10_000_000),
  });
}
