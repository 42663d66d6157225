import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';

import { OptionalTextField, TextField } from '../../platform/http/dto-rules.js';

export class RequestCancellationDto {
  @TextField('customer changed their mind')
  reason!: string;

  @ApiProperty({ enum: ['customer', 'company', 'supplier'], description: 'who asked for it (the requester is the caller)' })
  @IsIn(['customer', 'company', 'supplier'])
  initiatedBy!: 'customer' | 'company' | 'supplier';

  @OptionalTextField('called on 2026-11-29')
  note?: string;
}
