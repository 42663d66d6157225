import { IdField, MAX_QUANTITY, OptionalMoneyField, QuantityField, TextField } from '../../platform/http/dto-rules.js';
import { LinesField } from './order-lines.dto.js';

export class AmendedLineDto {
  @IdField('TEA-LONGJING-250G', 'a sku of the order, or a registered product to add')
  sku!: string;

  @QuantityField(`the line's new ordered quantity (shipped and cancelled units included; at most ${MAX_QUANTITY})`)
  quantity!: number;

  @OptionalMoneyField("minor units; absent: the line's price, or the product's current price for a new sku")
  unitPrice?: number;
}

export class AmendOrderDto {
  @LinesField(AmendedLineDto, 'the order lines as they become (a line left out is quantity 0)')
  lines!: AmendedLineDto[];

  @TextField('customer wants two more')
  reason!: string;
}
