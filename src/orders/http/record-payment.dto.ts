import { ApiProperty } from '@nestjs/swagger';

import { MoneyField, TextField } from '../../platform/http/dto-rules.js';

export class RecordPaymentDto {
  @MoneyField()
  amount!: number;

  @TextField('bank_transfer', 50)
  @ApiProperty({
    example: 'alipay',
    maxLength: 50,
    description: 'the route the money came by (cash, card, alipay, wechat, bank_transfer, …); `store_credit` (sale orders) draws on the customer\'s store credit: 409 insufficient_credit beyond it',
  })
  method!: string;
}
