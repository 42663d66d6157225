import { Module } from '@nestjs/common';

import { ExportsController } from './exports.controller.js';

/**
 * Spreadsheet exports over HTTP (API.md "Integrations, imports, exports, analytics"). Imported before the orders and
 * stock modules: `GET /api/orders/export` must be routed before `GET /api/orders/:id`.
 */
@Module({ controllers: [ExportsController] })
export class ExportsModule {}
