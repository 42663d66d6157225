import { writeFileSync } from 'node:fs';

import { type Config } from '../../platform/config/config.js';
import { type DataKeyStore } from '../../platform/personal-data/data-key-store.port.js';
import { type MasterKey, newMasterKeyText, unwrapDataKey, wrapDataKey } from '../../platform/personal-data/master-key.js';
import { CliError, EXIT, usageError } from '../cli-error.js';
import { type Output } from '../output.js';
import { openCliPersonalData } from '../personal-data.js';
import { progressBar } from '../progress.js';

const PAGE = 500;
const count = (n: number) => n.toLocaleString('en-US');

/** `jxc keys new-master-key [--out file]`: 32 random bytes as base64, on stdout or into a new file (0600). */
export function newMasterKey(io: Output, options: { out?: string }): number {
  const key = newMasterKeyText();
  if (options.out === undefined) {
    io.out(key);
    io.err('a new master key (32 random bytes, base64): give it to the service as JXC_MASTER_KEY, or in a file (mode 600) named by JXC_MASTER_KEY_FILE; keep a copy apart from the data and its backups');
    return EXIT.ok;
  }
  try {
    writeFileSync(options.out, `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw usageError(code === 'EEXIST' ? `${options.out} exists: a master key file is never overwritten` : `cannot write ${options.out}: ${code ?? (error as Error).message}`);
  }
  io.out(`a new master key was written to ${options.out} (mode 600): name it in JXC_MASTER_KEY_FILE; keep a copy apart from the data and its backups`);
  return EXIT.ok;
}

interface KeyCounts {
  /** Live data keys by the id of the master key that wraps them. */
  readonly byMaster: Map<string, number>;
  live: number;
}

async function countKeys(store: DataKeyStore): Promise<KeyCounts> {
  const counts: KeyCounts = { byMaster: new Map(), live: 0 };
  for (let after: string | undefined; ; ) {
    const page = await store.page(after, PAGE);
    if (page.length === 0) return counts;
    for (const key of page) counts.byMaster.set(key.masterKeyId, (counts.byMaster.get(key.masterKeyId) ?? 0) + 1);
    counts.live += page.length;
    after = page.at(-1)!.streamId;
  }
}

function describeMasters(counts: KeyCounts, current: MasterKey, previous: MasterKey | undefined): string {
  const role = (id: string) => (id === current.id ? ' (JXC_MASTER_KEY)' : id === previous?.id ? ' (JXC_MASTER_KEY_PREVIOUS)' : ' (not configured)');
  return [...counts.byMaster].map(([id, n]) => `${count(n)} under master key id ${id}${role(id)}`).join(', ');
}

/** `jxc keys status`: the data keys, live and erased, and which master keys wrap the live ones. */
export async function keysStatus(config: Config, io: Output): Promise<number> {
  const { keyStore, masters } = await openCliPersonalData(config, 'jxc keys status needs the master key');
  try {
    const total = await keyStore.count();
    const counts = await countKeys(keyStore);
    io.out(`data keys: ${count(counts.live)} live, ${count(total - counts.live)} erased${counts.live > 0 ? `; ${describeMasters(counts, masters.current, masters.previous)}` : ''}`);
    io.out(`configured: JXC_MASTER_KEY id ${masters.current.id}${masters.previous ? `, JXC_MASTER_KEY_PREVIOUS id ${masters.previous.id}` : ''}`);
    const elsewhere = counts.live - (counts.byMaster.get(masters.current.id) ?? 0);
    if (elsewhere > 0) io.out(`${count(elsewhere)} live data keys are not under JXC_MASTER_KEY: run jxc keys rotate-master-key with their master key as JXC_MASTER_KEY_PREVIOUS`);
    return EXIT.ok;
  } finally {
    await keyStore.close();
  }
}

/**
 * `jxc keys rotate-master-key`: every live data key wrapped by JXC_MASTER_KEY_PREVIOUS is unwrapped and wrapped
 * again by JXC_MASTER_KEY, one conditional write per key (replaced only if still wrapped by the previous key and not
 * erased meanwhile). The data keys themselves do not change, so no event or view is rewritten, and a service that
 * holds both keys reads every key during the rotation. Interrupted, it is run again: keys done are skipped. Then
 * every live key is counted again: exit 0 when all are under JXC_MASTER_KEY, 1 when some are not.
 */
export async function rotateMasterKey(config: Config, io: Output, options: { progress: boolean }): Promise<number> {
  if (config.masterKey.value === undefined && config.masterKey.file === undefined) {
    throw usageError('set the new master key in JXC_MASTER_KEY or JXC_MASTER_KEY_FILE, and the one it replaces in JXC_MASTER_KEY_PREVIOUS or JXC_MASTER_KEY_PREVIOUS_FILE');
  }
  const { keyStore, masters } = await openCliPersonalData(config, 'jxc keys rotate-master-key needs the master keys');
  const { current, previous } = masters;
  try {
    const started = performance.now();
    const bar = options.progress ? progressBar('re-wrapping', undefined, process.stderr, 'keys') : undefined;
    let done: Rewrapped;
    try {
      done = await rewrapAll(keyStore, current, previous, (seen) => bar?.update(seen));
    } finally {
      bar?.stop();
    }
    const seconds = (performance.now() - started) / 1000;
    const from = previous ? ` from master key id ${previous.id}` : '';
    io.out(
      `re-wrapped ${count(done.rewrapped)} data keys${from} to master key id ${current.id}; ${count(done.already)} were under it already; ${count(done.changedMeanwhile)} erased or re-wrapped meanwhile; ${seconds.toFixed(1)} s`,
    );
    const after = await countKeys(keyStore);
    const elsewhere = after.live - (after.byMaster.get(current.id) ?? 0);
    if (elsewhere === 0) {
      io.out(`every live data key (${count(after.live)}) is wrapped by master key id ${current.id}: JXC_MASTER_KEY_PREVIOUS can be removed from the service's configuration (keep the old key while backups made before now are kept: they need it)`);
      return EXIT.ok;
    }
    io.out(
      `not done: ${count(elsewhere)} live data keys are not under master key id ${current.id} (${describeMasters(after, current, previous)}); a service still sealing with the old key makes more: restart it with the new key as JXC_MASTER_KEY and the old one as JXC_MASTER_KEY_PREVIOUS, then run this again`,
    );
    return EXIT.failed;
  } finally {
    await keyStore.close();
  }
}

interface Rewrapped {
  rewrapped: number;
  already: number;
  changedMeanwhile: number;
}

/** One pass over the live keys in stream id order: those under `previous` re-wrapped by `current`. */
async function rewrapAll(store: DataKeyStore, current: MasterKey, previous: MasterKey | undefined, onProgress: (seen: number) => void): Promise<Rewrapped> {
  const done: Rewrapped = { rewrapped: 0, already: 0, changedMeanwhile: 0 };
  let seen = 0;
  for (let after: string | undefined; ; ) {
    const page = await store.page(after, PAGE);
    if (page.length === 0) return done;
    const rewraps: { streamId: string; wrapped: string }[] = [];
    for (const key of page) {
      if (key.masterKeyId === current.id) done.already++;
      else if (previous !== undefined && key.masterKeyId === previous.id) {
        let dataKey: Buffer;
        try {
          dataKey = unwrapDataKey(previous, key.streamId, key.wrapped);
        } catch {
          throw new CliError(`the data key of ${key.streamId} does not open with JXC_MASTER_KEY_PREVIOUS (id ${previous.id}), whose id it names: the key store is damaged; the keys before it were re-wrapped`, EXIT.failed);
        }
        rewraps.push({ streamId: key.streamId, wrapped: wrapDataKey(current, key.streamId, dataKey) });
      }
    }
    // One write per page: one transaction on keys.sqlite (one fsync, not one per key), one bulk write on MongoDB.
    const replaced = await store.rewrapMany(previous?.id ?? current.id, current.id, rewraps);
    done.rewrapped += replaced;
    done.changedMeanwhile += rewraps.length - replaced;
    seen += page.length;
    onProgress(seen);
    after = page.at(-1)!.streamId;
  }
}
