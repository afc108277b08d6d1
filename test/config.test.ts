import os from 'node:os';
import { DEFAULT_DATA_DIR, DEFAULT_MODEL_PATH, DEFAULT_TRAINING_DATA_DIR, readConfig } from '../src/config';

describe('readConfig', () => {
  test('defaults', () => {
    expect(readConfig({})).toEqual({
      port: 8080, host: '0.0.0.0', logLevel: 'info', modelPath: DEFAULT_MODEL_PATH, maxBodyBytes: 5 * 1024 * 1024, maxBlocks: 20000, maxBatchPages: 1000, workers: os.availableParallelism(), metricsEnabled: true,
      headersTimeoutMs: 10000, requestTimeoutMs: 30000, keepAliveTimeoutMs: 5000, maxRequestsPerSocket: 1000,
      dataDir: DEFAULT_DATA_DIR, trainingDataDir: DEFAULT_TRAINING_DATA_DIR, adminToken: undefined, modelKeep: 5, retrainMargin: 0.02,
      maxExamplesPerRequest: 20000, maxExampleChars: 20000,
    });
  });

  test('reads every variable', () => {
    expect(readConfig({
      PORT: '9000', HOST: '127.0.0.1', LOG_LEVEL: 'DEBUG', MODEL_PATH: '/m/x.json', MAX_BODY_BYTES: '2048', MAX_BLOCKS: '10', MAX_BATCH_PAGES: '7', WORKERS: '3', METRICS_ENABLED: 'false',
      HEADERS_TIMEOUT_MS: '2000', REQUEST_TIMEOUT_MS: '4000', KEEP_ALIVE_TIMEOUT_MS: '1500', MAX_REQUESTS_PER_SOCKET: '9',
      DATA_DIR: '/var/pagesift', TRAINING_DATA_DIR: '/corpus', ADMIN_TOKEN: 'a-long-enough-admin-token', MODEL_KEEP: '3', RETRAIN_MARGIN: '0.1',
      MAX_EXAMPLES_PER_REQUEST: '50', MAX_EXAMPLE_CHARS: '500',
    })).toEqual({
      port: 9000, host: '127.0.0.1', logLevel: 'debug', modelPath: '/m/x.json', maxBodyBytes: 2048, maxBlocks: 10, maxBatchPages: 7, workers: 3, metricsEnabled: false,
      headersTimeoutMs: 2000, requestTimeoutMs: 4000, keepAliveTimeoutMs: 1500, maxRequestsPerSocket: 9,
      dataDir: '/var/pagesift', trainingDataDir: '/corpus', adminToken: 'a-long-enough-admin-token', modelKeep: 3, retrainMargin: 0.1,
      maxExamplesPerRequest: 50, maxExampleChars: 500,
    });
  });

  test.each([
    ['PORT', '70000'], ['PORT', '8080x'], ['MAX_BLOCKS', '0'], ['MAX_BODY_BYTES', '1.5'], ['LOG_LEVEL', 'verbose'], ['HOST', '  '],
    ['MODEL_KEEP', '0'], ['MAX_BATCH_PAGES', '0'], ['WORKERS', '0'], ['HEADERS_TIMEOUT_MS', '99'], ['METRICS_ENABLED', 'maybe'], ['RETRAIN_MARGIN', '2'], ['RETRAIN_MARGIN', 'lots'], ['ADMIN_TOKEN', 'short'], ['ADMIN_TOKEN', 'has a space in the middle'],
  ])('%s=%s is refused with a config_invalid error naming it', (name, value) => {
    expect(() => readConfig({ [name]: value })).toThrow(expect.objectContaining({ code: 'config_invalid', message: expect.stringContaining(name) }));
  });

  test('a headers deadline beyond the request deadline is refused', () => {
    expect(() => readConfig({ HEADERS_TIMEOUT_MS: '5000', REQUEST_TIMEOUT_MS: '1000' })).toThrow(expect.objectContaining({ code: 'config_invalid', message: expect.stringContaining('HEADERS_TIMEOUT_MS') }));
  });

  test('a refused admin token is never echoed back', () => {
    expect(() => readConfig({ ADMIN_TOKEN: 'tiny-secret' })).toThrow(expect.objectContaining({ message: expect.not.stringContaining('tiny-secret') }));
  });
});
