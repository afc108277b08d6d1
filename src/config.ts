/**
 * @module config
 * The only reader of process.env. Every value is checked at start: a bad value stops the service
 * with a message naming the variable, the value and what was expected.
 */
import os from 'node:os';
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
  /** Slow clients: the whole headers must arrive within this, the whole request within the next. */
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this; one connection serves at most so many requests. */
  readonly keepAliveTimeoutMs: number;
  readonly maxRequestsPerSocket: number;
  /** GET /metrics in the Prometheus text format; METRICS_ENABLED=false turns it off. */
  readonly metricsEnabled: boolean;
  /** Processes serving requests; above 1, a cluster primary forks them (cluster.ts). */
  readonly workers: number;
  /** Most pages in one POST /v1/classify/batch. */
  readonly maxBatchPages: number;
  /** Where accepted examples and retrained model versions live (a Docker volume). */
  readonly dataDir: string;
  /** The corpus a retrain starts from. */
  readonly trainingDataDir: string;
  /** Unset: the retraining endpoints answer 403 and classification works as before. */
  readonly adminToken: string | undefined;
  /** Model versions kept on disk besides the live one. */
  readonly modelKeep: number;
  /** A retrained model whose held-out macro-F1 is lower than the live recipe's by more than this is not activated. */
  readonly retrainMargin: number;
  readonly maxExamplesPerRequest: number;
  readonly maxExampleChars: number;
}

/** The shipped model, relative to the project root (dist/ and src/ both sit one level below it). */
export const DEFAULT_MODEL_PATH = path.resolve(__dirname, '..', 'models', 'pagesift-model.json');
export const DEFAULT_DATA_DIR = path.resolve(__dirname, '..', 'data');
export const DEFAULT_TRAINING_DATA_DIR = path.resolve(__dirname, '..', 'training-data');

/** Shorter admin tokens are refused at start: they can be guessed. */
export const MIN_ADMIN_TOKEN_LENGTH = 16;

export const DEFAULTS = {
  PORT: '8080',
  HOST: '0.0.0.0',
  LOG_LEVEL: 'info',
  MAX_BODY_BYTES: String(5 * 1024 * 1024),
  MAX_BLOCKS: '20000',
  MAX_BATCH_PAGES: '1000',
  HEADERS_TIMEOUT_MS: '10000',
  REQUEST_TIMEOUT_MS: '30000',
  KEEP_ALIVE_TIMEOUT_MS: '5000',
  MAX_REQUESTS_PER_SOCKET: '1000',
  // One worker per core the process may use.
  WORKERS: String(os.availableParallelism()),
  MODEL_KEEP: '5',
  RETRAIN_MARGIN: '0.02',
  MAX_EXAMPLES_PER_REQUEST: '20000',
  MAX_EXAMPLE_CHARS: '20000',
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

function readFraction(env: NodeJS.ProcessEnv, name: keyof typeof DEFAULTS): number {
  const raw = env[name] ?? DEFAULTS[name];
  const value = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) fail(name, raw, 'a number from 0 to 1');
  return value;
}

function readBoolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  return fail(name, env[name] as string, 'true or false');
}

function readDir(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name]?.trim();
  return raw ? path.resolve(raw) : fallback;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const logLevel = (env.LOG_LEVEL ?? DEFAULTS.LOG_LEVEL).trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    fail('LOG_LEVEL', env.LOG_LEVEL ?? '', `one of ${LOG_LEVELS.join(', ')}`);
  }
  const host = (env.HOST ?? DEFAULTS.HOST).trim();
  if (host === '') fail('HOST', env.HOST ?? '', 'a host name or address');
  const modelPath = readDir(env, 'MODEL_PATH', DEFAULT_MODEL_PATH);
  const adminToken = env.ADMIN_TOKEN === undefined || env.ADMIN_TOKEN === '' ? undefined : env.ADMIN_TOKEN;
  if (adminToken !== undefined && (adminToken.length < MIN_ADMIN_TOKEN_LENGTH || /\s/.test(adminToken))) {
    // Never echo the token itself, not even into an error message.
    throw new PagesiftError('config_invalid', `ADMIN_TOKEN is invalid: expected at least ${MIN_ADMIN_TOKEN_LENGTH} characters without whitespace`);
  }

  const config = {
    port: readInteger(env, 'PORT', 0, 65535),
    host,
    logLevel: logLevel as LogLevel,
    modelPath,
    maxBodyBytes: readInteger(env, 'MAX_BODY_BYTES', 1024, 1024 * 1024 * 1024),
    maxBlocks: readInteger(env, 'MAX_BLOCKS', 1, 10_000_000),
    maxBatchPages: readInteger(env, 'MAX_BATCH_PAGES', 1, 1_000_000),
    workers: readInteger(env, 'WORKERS', 1, 256),
    metricsEnabled: readBoolean(env, 'METRICS_ENABLED', true),
    headersTimeoutMs: readInteger(env, 'HEADERS_TIMEOUT_MS', 100, 600_000),
    requestTimeoutMs: readInteger(env, 'REQUEST_TIMEOUT_MS', 100, 3_600_000),
    keepAliveTimeoutMs: readInteger(env, 'KEEP_ALIVE_TIMEOUT_MS', 100, 600_000),
    maxRequestsPerSocket: readInteger(env, 'MAX_REQUESTS_PER_SOCKET', 1, 1_000_000),
    dataDir: readDir(env, 'DATA_DIR', DEFAULT_DATA_DIR),
    trainingDataDir: readDir(env, 'TRAINING_DATA_DIR', DEFAULT_TRAINING_DATA_DIR),
    adminToken,
    modelKeep: readInteger(env, 'MODEL_KEEP', 1, 1000),
    retrainMargin: readFraction(env, 'RETRAIN_MARGIN'),
    maxExamplesPerRequest: readInteger(env, 'MAX_EXAMPLES_PER_REQUEST', 1, 10_000_000),
    maxExampleChars: readInteger(env, 'MAX_EXAMPLE_CHARS', 1, 10_000_000),
  };
  // Node requires the headers deadline to fall within the request deadline.
  if (config.headersTimeoutMs > config.requestTimeoutMs) {
    fail('HEADERS_TIMEOUT_MS', String(config.headersTimeoutMs), `at most REQUEST_TIMEOUT_MS (${config.requestTimeoutMs})`);
  }
  return Object.freeze(config);
}
