import { Module } from '@nestjs/common';

import { JournalController } from './journal.controller.js';
import { JournalReader } from './journal-reader.js';

/** The double-entry journal (issue 12): GET /api/journal, its trial balance and its voucher export. */
@Module({ controllers: [JournalController], providers: [JournalReader] })
export class JournalModule {}
