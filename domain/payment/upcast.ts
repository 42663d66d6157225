/**
 * Brings stored payment event data to the current schema before `evolve` sees it.
 * - `PaymentReceived` v1 had no `paymentId`: it stays absent, readers name it `P<n>` by its place (`paymentIdOf`).
 * - `RefundIssued` v1 had only `method` (`original` among them, kept as it is): it reversed no named payment
 *   (`paymentId: null`) and was asked for by that method.
 */
export function upcastPaymentEvent(type: string, schemaVersion: number, data: unknown): unknown {
  if (schemaVersion >= 2 || type !== 'RefundIssued') return data;
  const v1 = data as Record<string, unknown>;
  return { ...v1, paymentId: null, requestedMethod: v1.method };
}
