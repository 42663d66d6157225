import { MoneyField, TextField } from '../../platform/http/dto-rules.js';

export class SupplierRefundDto {
  @MoneyField()
  amount!: number;

  @TextField('bank_transfer', 50)
  method!: string;
}
