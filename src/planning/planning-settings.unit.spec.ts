import { describe, expect, it } from '@jest/globals';

import { ConfigError } from '../platform/config/config.js';
import { planningSettingsFrom } from './planning-settings.js';

describe('planning settings', () => {
  it('default to a 95 % service level, weekly reviews and a 7-day lead time, with α = 0.1 over 90 days', () => {
    expect(planningSettingsFrom({})).toEqual({ serviceLevel: 0.95, reviewDays: 7, defaultLeadTimeDays: 7, alphaMilli: 100, windowDays: 90 });
  });

  it('read JXC_SERVICE_LEVEL, JXC_REORDER_REVIEW_DAYS and JXC_DEFAULT_LEAD_TIME_DAYS', () => {
    expect(planningSettingsFrom({ JXC_SERVICE_LEVEL: '0.99', JXC_REORDER_REVIEW_DAYS: '0', JXC_DEFAULT_LEAD_TIME_DAYS: '14' })).toMatchObject({ serviceLevel: 0.99, reviewDays: 0, defaultLeadTimeDays: 14 });
  });

  it.each([
    [{ JXC_SERVICE_LEVEL: '95' }, 'JXC_SERVICE_LEVEL must be a number between 0 and 1 (0.95: 95 %), got "95"'],
    [{ JXC_SERVICE_LEVEL: '1' }, 'JXC_SERVICE_LEVEL must be a number between 0 and 1'],
    [{ JXC_REORDER_REVIEW_DAYS: '1.5' }, 'JXC_REORDER_REVIEW_DAYS must be a whole number of days from 0 to 365, got "1.5"'],
    [{ JXC_DEFAULT_LEAD_TIME_DAYS: '0' }, 'JXC_DEFAULT_LEAD_TIME_DAYS must be a whole number of days from 1 to 365, got "0"'],
  ])('refuse %j with one line naming the variable', (env, message) => {
    expect(() => planningSettingsFrom(env)).toThrow(ConfigError);
    expect(() => planningSettingsFrom(env)).toThrow(message);
  });
});
