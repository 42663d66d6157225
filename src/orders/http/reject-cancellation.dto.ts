import { TextField } from '../../platform/http/dto-rules.js';

export class RejectCancellationDto {
  @TextField('goods already packed for a priority customer')
  reason!: string;
}
