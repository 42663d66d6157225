import { describe, expect, it } from '@jest/globals';

import { ApiError } from '../../platform/http/api-error.js';
import { StrictValidationPipe } from '../../platform/http/validation.js';
import { RecordPaymentDto } from './record-payment.dto.js';

// The service's own validation pipe on a payment body, as POST /api/orders/:id/payments runs it.
const validate = (body: unknown) => new StrictValidationPipe().transform(body, { type: 'body', metatype: RecordPaymentDto });

const refusal = (body: string) => validate(JSON.parse(body)).then(() => undefined, (error: unknown) => error);

describe('a money amount in a request', () => {
  it('is accepted up to 10^15 minor units', async () => {
    await expect(validate({ amount: 10 ** 15, method: 'cash' })).resolves.toMatchObject({ amount: 10 ** 15 });
  });

  it('is refused with 400 naming the field above that, and so always before 2^53, where numbers stop being exact (2^53 + 1 reads as 2^53)', async () => {
    for (const body of ['{"amount":1000000000000001,"method":"cash"}', '{"amount":9007199254740992,"method":"cash"}', '{"amount":9007199254740993,"method":"cash"}', '{"amount":1e18,"method":"cash"}']) {
      const refused = await refusal(body);
      expect(refused).toBeInstanceOf(ApiError);
      expect(refused).toMatchObject({ status: 400, details: { fields: [{ field: 'amount', problems: [expect.stringContaining('must not be greater than')] }] } });
    }
  });
});
