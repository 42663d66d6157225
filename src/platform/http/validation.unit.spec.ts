import { describe, expect, it } from '@jest/globals';
import { Type } from 'class-transformer';
import { IsInt, IsString, MinLength, ValidateNested } from 'class-validator';

import { PlaceOrderDto } from '../../orders/http/place-order.dto.js';
import { StrictValidationPipe } from './validation.js';

// The service's validation pipe as a route runs it on a body; its rule lookups are memoised per class (validation.ts).
const validate = (metatype: new () => object, body: unknown) => new StrictValidationPipe().transform(body, { type: 'body', metatype });
const refusal = (metatype: new () => object, body: unknown) => validate(metatype, body).then(() => undefined, (error: unknown) => error);

class Line {
  @IsInt()
  quantity!: number;
}

class Note {
  @IsString()
  text!: string;

  @ValidateNested({ each: true })
  @Type(() => Line)
  lines!: Line[];
}

describe('request validation with memoised rules', () => {
  it('gives the same answers on every request: accepted, then refused naming each field, then accepted again', async () => {
    const order = { kind: 'sale', partyId: 'cust-1', lines: [{ sku: 'SKU-1', quantity: 1 }] };
    for (let round = 0; round < 3; round++) {
      await expect(validate(PlaceOrderDto, order)).resolves.toBeInstanceOf(PlaceOrderDto);
      await expect(refusal(PlaceOrderDto, { ...order, kind: 'gift', extra: 1, lines: [{ sku: 'SKU-1', quantity: 0 }] })).resolves.toMatchObject({
        status: 400,
        code: 'validation_failed',
        details: { fields: [{ field: 'extra' }, { field: 'kind' }, { field: 'lines[0].quantity' }] },
      });
    }
  });

  it('applies a rule added to a class after it was first validated (a class defined at run time)', async () => {
    await expect(validate(Note, { text: 'ab', lines: [{ quantity: 1 }] })).resolves.toBeInstanceOf(Note);
    MinLength(3)(Note.prototype, 'text');
    await expect(refusal(Note, { text: 'ab', lines: [{ quantity: 1 }] })).resolves.toMatchObject({ status: 400, details: { fields: [{ field: 'text', problems: [expect.stringContaining('longer than or equal to 3')] }] } });
    await expect(refusal(Note, { text: 'abc', lines: [{ quantity: 'x' }] })).resolves.toMatchObject({ status: 400, details: { fields: [{ field: 'lines[0].quantity' }] } });
  });
});
