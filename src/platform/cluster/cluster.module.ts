import { Global, Module } from '@nestjs/common';

import { CheckpointFollower } from './checkpoint-follower.js';
import { CommitRelay } from './commit-relay.js';
import { Leadership } from './leadership.js';

/** Which process leads when JXC_WORKERS > 1 (leadership.ts), the followers' view of the checkpoints, commit notices between processes. */
@Global()
@Module({
  providers: [Leadership, CheckpointFollower, CommitRelay],
  exports: [Leadership],
})
export class ClusterModule {}
