import { MoneyField, TextField } from '../../platform/http/dto-rules.js';

export class RecordPaymentDto {
  @MoneyField()
  amount!: number;

  @TextField('bank_transfer', 50)
  method!: string;
}
