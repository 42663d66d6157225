import { EventStoreDBClient } from '@eventstore/db-client';
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
      host: '127.0.0.1',
      tls: undefined,
      corsOrigins: [],
      rateLimitPerMinute: undefined,
      failedAuthentications: { limit: 10, windowMs: 60_000 },
      masterKey: { value: undefined, file: undefined, previousValue: undefined, previousFile: undefined },
      workers: 1,
    });
  });

  it('reads JXC_WORKERS: 1 to 16 service processes; several with EventStoreDB only with a MongoDB read store', () => {
    expect(loadConfig({ JXC_WORKERS: '4' }).workers).toBe(4);
    expect(loadConfig({ JXC_WORKERS: '2', MONGODB_URL: 'mongodb://localhost:27017/jxc' }).workers).toBe(2);
    expect(loadConfig({ JXC_WORKERS: '1', EVENTSTORE_URL: 'esdb://localhost:2113?tls=false' }).workers).toBe(1);
    expect(loadConfig({ JXC_WORKERS: '3', EVENTSTORE_URL: 'esdb://localhost:2113?tls=false', MONGODB_URL: 'mongodb://localhost:27017/jxc' }).workers).toBe(3);
  });

  it('reads JXC_PROJECTION_CACHE_MB, the projection runners\' document cache per view (default: the runners\' own)', () => {
    expect(loadConfig({}).projectionCacheMb).toBeUndefined();
    expect(loadConfig({ JXC_PROJECTION_CACHE_MB: '256' }).projectionCacheMb).toBe(256);
  });

  it('reads where the master key comes from, and refuses a key given two ways', () => {
    expect(loadConfig({ JXC_MASTER_KEY: ' k ', JXC_MASTER_KEY_PREVIOUS_FILE: 'old.key' }).masterKey).toEqual({
      value: 'k',
      file: undefined,
      previousValue: undefined,
      previousFile: resolve('old.key'),
    });
    expect(() => loadConfig({ JXC_MASTER_KEY: 'k', JXC_MASTER_KEY_FILE: 'k.key' })).toThrow('set JXC_MASTER_KEY or JXC_MASTER_KEY_FILE, not both');
    expect(() => loadConfig({ JXC_MASTER_KEY_PREVIOUS: 'k', JXC_MASTER_KEY_PREVIOUS_FILE: 'k.key' })).toThrow('not both');
    expect(() => loadConfig({ JXC_MASTER_KEY: '  ' })).toThrow('JXC_MASTER_KEY is set but empty');
  });

  it('reads the edge settings: HOST, TLS files, CORS origins, the per-key rate limit', () => {
    const config = loadConfig({
      HOST: '0.0.0.0',
      JXC_TLS_CERT: '/etc/jxc/cert.pem',
      JXC_TLS_KEY: '/etc/jxc/key.pem',
      JXC_CORS_ORIGINS: 'https://app.example.com, http://localhost:5173/',
      JXC_RATE_LIMIT_PER_MINUTE: '600',
    });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      tls: { certFile: '/etc/jxc/cert.pem', keyFile: '/etc/jxc/key.pem' },
      corsOrigins: ['https://app.example.com', 'http://localhost:5173'],
      rateLimitPerMinute: 600,
    });
    expect(loadConfig({ JXC_RATE_LIMIT_PER_MINUTE: '0' }).rateLimitPerMinute).toBeUndefined();
  });

  it.each([
    [{ JXC_TLS_CERT: '/etc/jxc/cert.pem' }, /JXC_TLS_CERT and JXC_TLS_KEY go together: JXC_TLS_CERT is set, the other is not/],
    [{ JXC_TLS_KEY: '/etc/jxc/key.pem' }, /JXC_TLS_KEY is set, the other is not/],
    [{ JXC_CORS_ORIGINS: 'app.example.com' }, /JXC_CORS_ORIGINS must be a comma-separated list of origins/],
    [{ JXC_CORS_ORIGINS: 'https://app.example.com/path' }, /no path/],
    [{ JXC_RATE_LIMIT_PER_MINUTE: '-5' }, /JXC_RATE_LIMIT_PER_MINUTE must be an integer/],
    [{ HOST: ' ' }, /HOST is set but empty/],
    [{ JXC_WORKERS: '0' }, /JXC_WORKERS must be an integer from 1 to 16, got "0"/],
    [{ JXC_WORKERS: '17' }, /JXC_WORKERS must be an integer from 1 to 16/],
    [{ JXC_WORKERS: 'two' }, /JXC_WORKERS must be an integer from 1 to 16/],
    [{ JXC_WORKERS: '2', EVENTSTORE_URL: 'esdb://localhost:2113?tls=false' }, /JXC_WORKERS above 1 with EVENTSTORE_URL needs MONGODB_URL/],
    [{ JXC_PROJECTION_CACHE_MB: '0' }, /JXC_PROJECTION_CACHE_MB must be an integer from 1 to 4096, got "0"/],
    [{ JXC_PROJECTION_CACHE_MB: '1.5' }, /JXC_PROJECTION_CACHE_MB must be an integer from 1 to 4096/],
    [{ JXC_PROJECTION_CACHE_MB: '5000' }, /JXC_PROJECTION_CACHE_MB must be an integer from 1 to 4096/],
  ])('refuses %j with one clear line', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
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
    ['kurrentdb://localhost:2113?tls=false', 'esdb://localhost:2113?tls=false'],
    ['kdb://admin:changeit@db1:2113?tls=true&keepAliveInterval=10000', 'esdb://admin:changeit@db1:2113?tls=true&keepAliveInterval=10000'],
    ['kurrentdb+discover://cluster.example.com:2113', 'esdb+discover://cluster.example.com:2113'],
    ['KDB+DISCOVER://cluster.example.com:2113', 'esdb+discover://cluster.example.com:2113'],
    ['esdb://localhost:2113?tls=false', 'esdb://localhost:2113?tls=false'],
    ['ESDB://localhost:2113', 'esdb://localhost:2113'],
    // A cluster's seed list (docker-compose profile cluster): not a WHATWG URL, a connection string to the client.
    ['esdb://admin:changeit@node1:2113,node2:2113,node3:2113?tls=false', 'esdb://admin:changeit@node1:2113,node2:2113,node3:2113?tls=false'],
  ])('EVENTSTORE_URL %s is given to the EventStoreDB client (6.2.1 knows esdb:// only) as %s', (given, used) => {
    expect(loadConfig({ EVENTSTORE_URL: given }).eventStoreUrl).toBe(used);
    // The client parses it (a client is only a configuration until its first call: nothing connects).
    expect(() => EventStoreDBClient.connectionString(used)).not.toThrow();
  });

  it('takes a MongoDB replica set seed list (several hosts), which the driver parses', async () => {
    const seeds = 'mongodb://jxc:secret@mongo1:27017,mongo2:27017,mongo3:27017/jxc?replicaSet=rs0&authSource=admin';
    expect(loadConfig({ MONGODB_URL: seeds }).mongodbUrl).toBe(seeds);
    const { MongoClient } = await import('mongodb');
    // Parsing only: a client connects at its first operation.
    expect(() => new MongoClient(seeds)).not.toThrow();
  });

  it.each([
    [{ MONGODB_URL: 'mongodb://mongo1:27017,:27017/jxc' }, 'MONGODB_URL is not a URL: "mongodb://mongo1:27017,:27017/jxc"'],
    [{ MONGODB_URL: 'mongodb://mongo1:27017,mongo 2:27017/jxc' }, 'MONGODB_URL is not a URL: "mongodb://mongo1:27017,mongo 2:27017/jxc"'],
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
