import { Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown, Optional } from '@nestjs/common';

import { Leadership } from '../cluster/leadership.js';
import { CONFIG, type Config } from '../config/config.js';
import { BackupScheduler } from './backup-scheduler.js';
import { backupSettings } from './backup-settings.js';

/** Starts the scheduled backups when JXC_BACKUP_DIR is set and the stores are the embedded ones. */
@Injectable()
class BackupService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Backup');
  private scheduler: BackupScheduler | undefined;

  private stopped = false;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Optional() private readonly leadership?: Leadership,
  ) {}

  onApplicationBootstrap(): void {
    const settings = backupSettings(process.env);
    if (!settings) return;
    if (this.config.eventStoreUrl || this.config.mongodbUrl) {
      this.logger.warn('JXC_BACKUP_DIR is set but the stores are not the embedded ones (EVENTSTORE_URL or MONGODB_URL): no scheduled backups; use the tools of EventStoreDB and MongoDB');
      return;
    }
    // With several processes (JXC_WORKERS > 1) only the lease holder makes the scheduled backups.
    const start = () => {
      if (this.stopped || this.scheduler) return;
      this.scheduler = new BackupScheduler(this.config.dataDir, settings, this.logger);
      this.scheduler.start();
      this.logger.log(`scheduled backups into ${settings.dir} every ${settings.everyMs / 1000} s, keeping ${settings.keep}`);
    };
    if (this.leadership) this.leadership.whenLeading(start);
    else start();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    this.scheduler?.stop();
  }
}

@Module({ providers: [BackupService] })
export class BackupModule {}
