import { MongoClient } from 'mongodb';

/** Drops a test's database on the server at `url` (a fresh one per suite keeps runs apart). */
export async function dropDatabase(url: string, databaseName: string): Promise<void> {
  const client = await MongoClient.connect(url);
  try {
    await client.db(databaseName).dropDatabase();
  } finally {
    await client.close();
  }
}
