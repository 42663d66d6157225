import { DEFAULT_PLANNING, type PlanningParameters } from '../../domain/planning/index.js';
import { ConfigError } from '../platform/config/config.js';

export const PLANNING_SETTINGS = Symbol('PlanningSettings');

/**
 * The planner's parameters: `JXC_SERVICE_LEVEL` (0 < level < 1, default 0.95), `JXC_REORDER_REVIEW_DAYS` (whole
 * days ≥ 0, default 7), `JXC_DEFAULT_LEAD_TIME_DAYS` (whole days ≥ 1, default 7). α (0.1) and the window (90 days)
 * are fixed. A value out of range stops the start with one line naming the variable.
 */
export function planningSettingsFrom(env: NodeJS.ProcessEnv): PlanningParameters {
  return {
    ...DEFAULT_PLANNING,
    serviceLevel: serviceLevel(env.JXC_SERVICE_LEVEL) ?? DEFAULT_PLANNING.serviceLevel,
    reviewDays: wholeDays('JXC_REORDER_REVIEW_DAYS', env.JXC_REORDER_REVIEW_DAYS, 0) ?? DEFAULT_PLANNING.reviewDays,
    defaultLeadTimeDays: wholeDays('JXC_DEFAULT_LEAD_TIME_DAYS', env.JXC_DEFAULT_LEAD_TIME_DAYS, 1) ?? DEFAULT_PLANNING.defaultLeadTimeDays,
  };
}

function serviceLevel(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0 || parsed >= 1) throw new ConfigError(`JXC_SERVICE_LEVEL must be a number between 0 and 1 (0.95: 95 %), got ${JSON.stringify(value)}`);
  return parsed;
}

function wholeDays(name: string, value: string | undefined, minimum: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < minimum || parsed > 365) throw new ConfigError(`${name} must be a whole number of days from ${minimum} to 365, got ${JSON.stringify(value)}`);
  return parsed;
}
