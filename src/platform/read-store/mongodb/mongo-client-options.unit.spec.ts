import { describe, expect, it } from '@jest/globals';

import { mongoClientOptions } from './mongodb-read-store.js';

describe('MongoDB read store: client options', () => {
  it('bounds server selection, connection and replies instead of the driver defaults (30 s, 30 s, none)', () => {
    expect(mongoClientOptions('mongodb://localhost:27017/jxc')).toEqual({
      ignoreUndefined: true,
      serverSelectionTimeoutMS: 5000,
      connectTimeoutMS: 5000,
      socketTimeoutMS: 60000,
      heartbeatFrequencyMS: 5000,
    });
  });

  it('leaves to the URL each timeout it sets, whatever its case', () => {
    const options = mongoClientOptions('mongodb://localhost:27017/jxc?replicaSet=rs0&serverselectiontimeoutms=1000&socketTimeoutMS=0');
    expect(options).toEqual({ ignoreUndefined: true, connectTimeoutMS: 5000, heartbeatFrequencyMS: 5000 });
  });
});
