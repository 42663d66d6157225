/**
 * Inventory value, kept exactly in integer minor units per position (moving average cost).
 *
 * The position keeps `value`, the total value of its on-hand units; the unit cost shown is
 * `round(value / onHand)`. An outgoing movement of q units takes the rest of the value when it empties on
 * hand, else `round(value × q / onHand)`: the sum of values never drifts and stays an integer ≥ 0. The same
 * rule shares out any pool of units and value (an order's shipped units when they come back, a transfer in
 * transit as it arrives). Products are computed in BigInt so large values times quantities stay exact.
 */
export function shareOf(poolValue: number, poolUnits: number, units: number): number {
  if (units <= 0 || poolUnits <= 0 || poolValue <= 0) return 0;
  if (units >= poolUnits) return poolValue;
  return divideRounded(BigInt(poolValue) * BigInt(units), BigInt(poolUnits));
}

/** The average cost of one unit of the pool (0 when it holds no units). */
export function averageOf(poolValue: number, poolUnits: number): number {
  if (poolUnits <= 0 || poolValue <= 0) return 0;
  return divideRounded(BigInt(poolValue), BigInt(poolUnits));
}

/** round(n / d) for n ≥ 0, d > 0, halves up. */
function divideRounded(numerator: bigint, denominator: bigint): number {
  return Number((numerator * 2n + denominator) / (denominator * 2n));
}
