import { DEFAULT_MODEL_PATH, readConfig } from '../src/config';

describe('readConfig', () => {
  test('defaults', () => {
    expect(readConfig({})).toEqual({ port: 8080, host: '0.0.0.0', logLevel: 'info', modelPath: DEFAULT_MODEL_PATH, maxBodyBytes: 5 * 1024 * 1024, maxBlocks: 20000 });
  });

  test('reads every variable', () => {
    expect(readConfig({ PORT: '9000', HOST: '127.0.0.1', LOG_LEVEL: 'DEBUG', MODEL_PATH: '/m/x.json', MAX_BODY_BYTES: '2048', MAX_BLOCKS: '10' }))
      .toEqual({ port: 9000, host: '127.0.0.1', logLevel: 'debug', modelPath: '/m/x.json', maxBodyBytes: 2048, maxBlocks: 10 });
  });

  test.each([
    ['PORT', '70000'], ['PORT', '8080x'], ['MAX_BLOCKS', '0'], ['MAX_BODY_BYTES', '1.5'], ['LOG_LEVEL', 'verbose'], ['HOST', '  '],
  ])('%s=%s is refused with a config_invalid error naming it', (name, value) => {
    expect(() => readConfig({ [name]: value })).toThrow(expect.objectContaining({ code: 'config_invalid', message: expect.stringContaining(name) }));
  });
});
