import { Global, Module } from '@nestjs/common';

import { WarehouseRegistry } from './warehouses.js';

/** The warehouse registry, global: stock and order routes check the warehouses they are given against it. */
@Global()
@Module({ providers: [WarehouseRegistry], exports: [WarehouseRegistry] })
export class WarehousesModule {}
