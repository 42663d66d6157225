import { OptionalTextField } from '../../platform/http/dto-rules.js';
import { OptionalLinesField, SkuQuantityDto } from './order-lines.dto.js';

export class ShipOrderDto {
  @OptionalLinesField(SkuQuantityDto, 'the quantities this shipment takes; absent: everything not yet shipped')
  lines?: SkuQuantityDto[];

  @OptionalTextField('SF Express', 100)
  carrier?: string;

  @OptionalTextField('SF1234567890', 100)
  trackingNumber?: string;
}

export class DeliverOrderDto {
  @OptionalTextField('S1', 64)
  shipmentId?: string;
}
