import { OptionalTextField, TextField } from '../../platform/http/dto-rules.js';

export class HoldOrderDto {
  @TextField('address being verified')
  reason!: string;
}

export class ReleaseHoldDto {
  @OptionalTextField('address confirmed')
  note?: string;
}
