import { type Config } from '../config/config.js';
import { type RunnerStatus, type ViewProgress } from './projection-runner.js';

/** What the projection worker thread is started with. */
export interface ProjectionWorkerData {
  readonly config: Config;
}

export interface GroupStatus {
  readonly group: string;
  readonly status: RunnerStatus;
  readonly lastError: string | null;
  readonly views: readonly ViewProgress[];
}

/** Service -> worker. */
export type ToWorker =
  /** The service's connection committed events: read on now. */
  | { readonly type: 'committed' }
  /** Stop the runners (each finishes the batch it is writing), close the stores, exit. */
  | { readonly type: 'stop' };

/** Worker -> service. */
export type FromWorker =
  | { readonly type: 'status'; readonly groups: readonly GroupStatus[] }
  | { readonly type: 'applied'; readonly views: readonly string[]; readonly events: number }
  | { readonly type: 'dead-lettered'; readonly view: string }
  | { readonly type: 'log'; readonly level: 'log' | 'warn' | 'error'; readonly message: string }
  | { readonly type: 'stopped' };
