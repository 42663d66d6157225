import { OptionalTextField } from '../../platform/http/dto-rules.js';

export class ShipOrderDto {
  @OptionalTextField('SF Express', 100)
  carrier?: string;

  @OptionalTextField('SF1234567890', 100)
  trackingNumber?: string;
}
