import { type Collection, type MongoClient, MongoServerError } from 'mongodb';
import { performance } from 'node:perf_hooks';

import { connectMongo } from '../read-store/mongodb/mongodb-read-store.js';
import { type LeaseState, type LeaseStore } from './lease.port.js';

const LEASE_COLLECTION = 'jxc_lease_terms';
const DUPLICATE_KEY = 11000;
/** Acknowledged by a majority: a term a new primary does not know of could be granted twice after a fail-over. */
const MAJORITY = { writeConcern: { w: 'majority' } } as const;

/** One holder's term of a lease: the lease is its term of highest generation. */
interface TermDocument {
  /** `<name>#<generation, 12 digits>`: unique, so of two processes making the same term, one fails. */
  _id: string;
  name: string;
  generation: number;
  /** Null once its holder gave it up. */
  holder: string | null;
  /** Milliseconds since the epoch, by the clock of its holder. */
  expiresAt: number;
}

export interface MongoLeaseStoreOptions {
  readonly url: string;
  /** Default: the database named in the URL's path, else `jxc` (the read store's database). */
  readonly databaseName?: string;
}

const termId = (name: string, generation: number): string => `${name}#${String(generation).padStart(12, '0')}`;

const stateOf = (term: TermDocument | undefined, holder: string): LeaseState =>
  term === undefined || term.holder === null
    ? { held: false, holder: null, expiresAt: null, generation: term?.generation ?? 0 }
    : { held: term.holder === holder, holder: term.holder, expiresAt: term.expiresAt, generation: term.generation };

/**
 * The lease in the MongoDB read store's database (collection `jxc_lease_terms`), for processes that share no file
 * (EventStoreDB and MongoDB). It relies on one atomic step only, the unique `_id` of an insert: a conditional update
 * is not atomic on every server that speaks the protocol (FerretDB 1.x on SQLite reads, then writes), and a lease
 * that two processes can take at once is no lease.
 * - The lease is its latest *term*, one document per change of holder: its generation, holder and expiry.
 * - Taking it over, when the latest term has expired or was given up, is inserting the next term: of processes
 *   racing for it, one insert succeeds, the others fail on the duplicate `_id` and are told who won.
 * - Renewing is the holder writing its own term's expiry (no other process writes a term it does not hold), while it
 *   has not expired. A renewal whose answer comes back after the expiry it extends may have landed after another
 *   process read the old expiry and took the lease: it is given up, and the holder told it lost the lease.
 * - A term is held only while it is the latest: a new holder checks that its insert is (a process that read the lease
 *   long ago may insert a term whose successors were made and pruned since), a renewal checks it after its write.
 * Expiry compares the clocks of the processes, which must agree to well within the lease's time to live (5 s): NTP,
 * as any lease on wall-clock time needs. Terms older than the one before the latest are deleted by the new holder.
 */
export class MongoLeaseStore implements LeaseStore {
  private constructor(
    private readonly client: MongoClient,
    private readonly terms: Collection<TermDocument>,
  ) {}

  static connect(options: MongoLeaseStoreOptions): Promise<MongoLeaseStore> {
    return connectMongo(options, async (client, db) => {
      const terms = db.collection<TermDocument>(LEASE_COLLECTION, MAJORITY);
      await terms.createIndex({ name: 1, generation: -1 });
      return new MongoLeaseStore(client, terms);
    });
  }

  async acquire(name: string, holder: string, ttlMs: number, now: number): Promise<LeaseState> {
    const started = performance.now();
    const expiresAt = now + ttlMs;
    const latest = await this.latest(name);
    if (latest !== undefined && latest.holder === holder && now < latest.expiresAt) {
      await this.terms.updateOne({ _id: latest._id, holder }, { $set: { expiresAt } });
      if (now + (performance.now() - started) < latest.expiresAt) {
        const after = await this.latest(name);
        if (after?._id === latest._id && after.holder === holder) return { held: true, holder, expiresAt, generation: latest.generation };
        return stateOf(after, holder);
      }
      // Too late to be sure nobody read the old expiry meanwhile: give it up (the next term is anyone's).
      await this.release(name, holder);
      return stateOf(await this.latest(name), holder);
    }
    if (latest === undefined || latest.holder === null || latest.expiresAt <= now) {
      const generation = (latest?.generation ?? 0) + 1;
      try {
        await this.terms.insertOne({ _id: termId(name, generation), name, generation, holder, expiresAt });
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
        return stateOf(await this.latest(name), holder);
      }
      // A process that read the latest term long ago may insert a term whose next ones were made and pruned since:
      // its term is not the latest, and it holds nothing.
      const after = await this.latest(name);
      if (after?.generation !== generation) return stateOf(after, holder);
      await this.terms.deleteMany({ name, generation: { $lt: generation - 1 } }).catch(() => undefined);
      return { held: true, holder, expiresAt, generation };
    }
    return stateOf(await this.latest(name), holder);
  }

  async release(name: string, holder: string): Promise<void> {
    const latest = await this.latest(name);
    if (latest?.holder === holder) await this.terms.updateOne({ _id: latest._id, holder }, { $set: { holder: null, expiresAt: 0 } });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async latest(name: string): Promise<TermDocument | undefined> {
    const [term] = await this.terms.find({ name }).sort({ generation: -1 }).limit(1).toArray();
    return term;
  }
}
