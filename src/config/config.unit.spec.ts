import { describe, expect, it } from '@jest/globals';
import { resolve } from 'node:path';

import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('defaults to port 3000, ./data, the embedded store and full durability', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      dataDir: resolve('./data'),
      eventStoreUrl: undefined,
      mongodbUrl: undefined,
      bootstrapAdminKey: undefined,
      durability: 'full',
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      JXC_DATA_DIR: '/var/lib/jxc',
      EVENTSTORE_URL: 'esdb://localhost:2113?tls=false',
      MONGODB_URL: 'mongodb://localhost:27017/jxc?replicaSet=rs0',
      JXC_BOOTSTRAP_ADMIN_KEY: 'a-long-enough-admin-key',
      JXC_DURABILITY: 'normal',
    });
    expect(config).toMatchObject({ port: 8080, dataDir: '/var/lib/jxc', durability: 'normal', bootstrapAdminKey: 'a-long-enough-admin-key' });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be an integer from 0 to 65535, got "eighty"'],
    [{ PORT: '70000' }, 'PORT must be an integer from 0 to 65535, got "70000"'],
    [{ JXC_DURABILITY: 'fast' }, 'JXC_DURABILITY must be "full" or "normal", got "fast"'],
    [{ MONGODB_URL: 'http://localhost' }, 'MONGODB_URL must start with mongodb:// or mongodb+srv://, got "http://localhost"'],
    [{ EVENTSTORE_URL: 'not a url' }, 'EVENTSTORE_URL is not a URL: "not a url"'],
    [{ JXC_BOOTSTRAP_ADMIN_KEY: 'short' }, 'JXC_BOOTSTRAP_ADMIN_KEY must be at least 16 characters'],
    [{ JXC_DATA_DIR: ' ' }, 'JXC_DATA_DIR is set but empty'],
  ])('refuses %j with one clear line', (env, message) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(message));
  });
});
