import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';

import { ImportController } from './import.controller.js';
import { ImportRows } from './import-rows.js';
import { Importer } from './importer.js';

/** Bulk import of products, customers, suppliers and opening stock from CSV or XLSX (POST /api/import/:kind). */
@Module({
  imports: [CqrsModule],
  controllers: [ImportController],
  providers: [Importer, ImportRows],
})
export class ImportsModule {}
