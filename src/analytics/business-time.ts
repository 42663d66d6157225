import { ConfigError } from '../platform/config/config.js';

export const BUSINESS_TIME = Symbol('BusinessTime');
const DEFAULT_BUSINESS_TIME_ZONE = 'Asia/Shanghai';

// A day, or a day and a wall-clock time without a zone: both read in the business zone.
const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;

/**
 * Days and weeks of the business: analytics count a time in the day it fell on in one IANA time zone
 * (`JXC_BUSINESS_TZ`, default Asia/Shanghai), through the runtime's own tz database (`Intl.DateTimeFormat`,
 * daylight saving time included). The projections stay pure: they receive `localDay` from here.
 */
export class BusinessTime {
  private readonly dayFormat: Intl.DateTimeFormat;
  private readonly wallClock: Intl.DateTimeFormat;

  constructor(readonly zone: string) {
    this.dayFormat = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    this.wallClock = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  /** `YYYY-MM-DD`: the day an ISO time fell on in the business zone. */
  readonly localDay = (isoTime: string): string => {
    const parts = partsOf(this.dayFormat, Date.parse(isoTime));
    return `${parts.year}-${parts.month}-${parts.day}`;
  };

  /**
   * A `from`/`to` parameter as an instant (ISO, UTC): a day alone (`2026-12-01`) is the start of that day in the
   * business zone, a time without offset (`2026-12-01T09:30`) that wall-clock time there; a time with its offset is that time.
   */
  instantOf(value: string): string {
    const local = LOCAL_TIME.exec(value);
    if (local === null) return new Date(value).toISOString();
    const [, year, month, day, hour, minute, second] = local.map((part) => Number(part ?? 0));
    const wall = Date.UTC(year!, month! - 1, day!, hour, minute, second, Number((local[7] ?? '0').padEnd(3, '0')));
    // The zone's offset at the guess, then at the corrected guess (right across a daylight saving change).
    const first = wall - this.offsetMs(wall);
    return new Date(wall - this.offsetMs(first)).toISOString();
  }

  /** How far the zone's wall clock is ahead of UTC at this instant. */
  private offsetMs(instant: number): number {
    const parts = partsOf(this.wallClock, instant);
    const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
    return wall - Math.floor(instant / 1000) * 1000;
  }
}

function partsOf(format: Intl.DateTimeFormat, instant: number): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(instant)) parts[part.type] = part.value;
  return parts;
}

/** `JXC_BUSINESS_TZ` (an IANA zone name), read once at start-up; a name the runtime does not know stops the start with one line. */
export function businessTimeFrom(env: NodeJS.ProcessEnv): BusinessTime {
  const value = env.JXC_BUSINESS_TZ?.trim();
  const zone = value === undefined || value === '' ? DEFAULT_BUSINESS_TIME_ZONE : value;
  try {
    return new BusinessTime(new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone);
  } catch {
    throw new ConfigError(`JXC_BUSINESS_TZ must be an IANA time zone like Asia/Shanghai, got ${JSON.stringify(value)}`);
  }
}
