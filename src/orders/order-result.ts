import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { type OrderSummary } from '../../domain/index.js';

/** API.md's order view as the write side sees it, with the order stream's revision and the log position. */
export type OrderResult = OrderSummary & { readonly revision: number; readonly position: string | null };

export class OrderLineView {
  @ApiProperty({ example: 'TEA-LONGJING-250G' }) sku!: string;
  @ApiProperty({ example: 2 }) quantity!: number;
  @ApiProperty({ example: 12800, description: 'minor units' }) unitPrice!: number;
  @ApiProperty() reserved!: number;
  @ApiProperty() shipped!: number;
  @ApiProperty() received!: number;
  @ApiProperty() returned!: number;
  @ApiProperty() returnedResellable!: number;
  @ApiProperty() returnedDamaged!: number;
}

export class CancellationView {
  @ApiProperty({ enum: ['requested', 'approved', 'rejected', 'withdrawn'] }) state!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ enum: ['customer', 'company', 'supplier'] }) initiatedBy!: string;
  @ApiProperty() requestedBy!: string;
  @ApiProperty() requestedAt!: string;
  @ApiPropertyOptional({ nullable: true }) decidedBy!: string | null;
  @ApiPropertyOptional({ nullable: true }) decidedAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) decisionNote!: string | null;
  @ApiPropertyOptional({ nullable: true, enum: ['release_and_refund', 'return_and_refund', 'cancel_purchase', 'close_remainder'] }) outcome!: string | null;
}

export class OrderView {
  @ApiProperty() orderId!: string;
  @ApiProperty() number!: string;
  @ApiProperty({ enum: ['sale', 'purchase'] }) kind!: string;
  @ApiProperty({ enum: ['placed', 'processing', 'shipped', 'delivered', 'rejected', 'returning', 'cancelled', 'partially_received', 'received', 'closed'] }) status!: string;
  @ApiProperty() partyId!: string;
  @ApiProperty({ example: 'main' }) warehouseId!: string;
  @ApiProperty({ example: 'CNY' }) currency!: string;
  @ApiProperty({ type: [OrderLineView] }) lines!: OrderLineView[];
  @ApiProperty({ description: 'minor units' }) total!: number;
  @ApiProperty({ description: 'sale: paid by the customer; purchase: deposits paid to the supplier' }) paid!: number;
  @ApiProperty({ description: 'sale: refunded to the customer; purchase: refunds received from the supplier' }) refunded!: number;
  @ApiProperty() ownerId!: string;
  @ApiProperty() placedAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiPropertyOptional({ type: CancellationView, nullable: true }) cancellation!: CancellationView | null;
  @ApiPropertyOptional({ enum: ['pending', 'complete', 'failed'], nullable: true, description: 'sale placement: whether every line is reserved' }) reservation!: string | null;
  @ApiProperty({ description: 'revision of the order stream (0 after its first event)' }) revision!: number;
  @ApiPropertyOptional({ nullable: true, description: 'log position of the last event this command appended, process steps included; read views with minPosition=' }) position!: string | null;
}
