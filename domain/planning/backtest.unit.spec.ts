import { describe, expect, it } from '@jest/globals';

import { addDays, DEFAULT_PLANNING, type DailySales, demandSeries, leadTimeDays, type PlanningParameters, planReorder } from './reorder.js';

/** mulberry32: a small seeded generator, so every run simulates the same year. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function poisson(mean: number, random: () => number): number {
  const limit = Math.exp(-mean);
  let count = 0;
  for (let product = random(); product > limit; product *= random()) count += 1;
  return count;
}

/** A year of daily demand: a yearly wave (±50 %), busier weekends, Poisson noise. */
function yearOfDemand(seed: number, base = 20): number[] {
  const random = seeded(seed);
  return Array.from({ length: 365 }, (_, day) => {
    const season = 1 + 0.5 * Math.sin((2 * Math.PI * day) / 365);
    const week = day % 7 >= 5 ? 1.4 : 0.84;
    return poisson(base * season * week, random);
  });
}

interface Outcome {
  readonly stockOutDays: number;
  readonly averageOnHand: number;
  readonly averageDemand: number;
  readonly orders: number;
}

/**
 * Day by day: the morning's deliveries arrive, customers ask for the day's demand (what stock cannot serve is lost),
 * then the planner runs on the demand seen so far and the buyer orders what it suggests; a supplier delivers after
 * 3 to 7 days (the planner only knows the lead times it measured).
 */
function simulate(demand: readonly number[], parameters: PlanningParameters, seed: number, reviewEvery = 1): Outcome {
  const random = seeded(seed ^ 0x5eed);
  const start = '2026-01-01';
  const arrivals = new Map<number, number>();
  const sales: DailySales[] = [];
  const measured: number[] = [];
  let onHand = 14 * 20;
  let incoming = 0;
  let stockOutDays = 0;
  let stockDays = 0;
  let orders = 0;
  demand.forEach((asked, day) => {
    const arriving = arrivals.get(day) ?? 0;
    onHand += arriving;
    incoming -= arriving;
    if (asked > onHand) stockOutDays += 1;
    onHand -= Math.min(asked, onHand);
    stockDays += onHand;
    const today = addDays(start, day);
    sales.push({ day: today, quantity: asked });
    const series = demandSeries(sales, today, parameters.windowDays);
    const plan = planReorder({ series, leadTimeDays: leadTimeDays(null, measured.slice(-20), parameters.defaultLeadTimeDays), position: onHand + incoming }, parameters);
    if (day % reviewEvery === 0 && plan.suggestedQuantity > 0) {
      const lead = 3 + Math.floor(random() * 5);
      arrivals.set(day + lead, (arrivals.get(day + lead) ?? 0) + plan.suggestedQuantity);
      incoming += plan.suggestedQuantity;
      measured.push(lead);
      orders += 1;
    }
  });
  const total = demand.reduce((sum, asked) => sum + asked, 0);
  return { stockOutDays, averageOnHand: stockDays / demand.length, averageDemand: total / demand.length, orders };
}

describe('reorder planning backtest (a generated year of daily sales)', () => {
  const seeds = [1, 7, 42, 2026, 90210];
  const target = 1 - DEFAULT_PLANNING.serviceLevel;
  // "Not trivially met by huge stock": on average less than ten days of average demand on the shelf.
  const averageStockBound = (outcome: Outcome): number => outcome.averageDemand * 10;

  it.each(seeds)('a buyer ordering the suggestion at each weekly review runs out on fewer than 5 %% of days, with bounded stock (seed %i)', (seed) => {
    const outcome = simulate(yearOfDemand(seed), DEFAULT_PLANNING, seed, DEFAULT_PLANNING.reviewDays);
    expect(outcome.stockOutDays / 365).toBeLessThan(target);
    expect(outcome.averageOnHand).toBeLessThan(averageStockBound(outcome));
    expect(outcome.orders).toBeGreaterThanOrEqual(50);
  });

  it.each(seeds)('a buyer ordering the suggestion every day also stays below the target, with bounded stock (seed %i)', (seed) => {
    const outcome = simulate(yearOfDemand(seed), DEFAULT_PLANNING, seed, 1);
    expect(outcome.stockOutDays / 365).toBeLessThan(target);
    expect(outcome.averageOnHand).toBeLessThan(averageStockBound(outcome));
  });

  it('is a real test: without the review cover nor safety stock the same year runs out far more often than the target', () => {
    for (const seed of seeds) {
      const bare = simulate(yearOfDemand(seed), { ...DEFAULT_PLANNING, reviewDays: 0, serviceLevel: 0.5 }, seed, 1);
      expect(bare.stockOutDays / 365).toBeGreaterThan(2 * target);
    }
  });
});
