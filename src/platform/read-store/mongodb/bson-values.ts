import { Long } from 'mongodb';

/**
 * The MongoDB adapter's value mapping, so that analysts querying the collections find BSON types:
 * - a string that is exactly what `Date#toISOString` writes (`2026-03-01T08:00:00.000Z`, the only form of a
 *   time in jxc's views) is stored as a BSON date, and read back as that same string;
 * - an integer beyond int32 (money in minor units can be) is stored as an int64 instead of the driver's
 *   default double; the driver reads it back as a number (`promoteLongs`).
 * Both directions are exact: the service reads the very JSON values it wrote, as on the SQLite store.
 */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** The BSON date of a canonical ISO time, or undefined for any other string. */
function storedTime(value: string): Date | undefined {
  if (!ISO_TIME.test(value)) return undefined;
  const date = new Date(value);
  return !Number.isNaN(date.getTime()) && date.toISOString() === value ? date : undefined;
}

/** One value as stored (recursively through arrays and objects). */
export function toStored(value: unknown): unknown {
  if (typeof value === 'string') return storedTime(value) ?? value;
  if (typeof value === 'number') return Number.isSafeInteger(value) && (value < INT32_MIN || value > INT32_MAX) ? Long.fromNumber(value) : value;
  if (Array.isArray(value)) return value.map(toStored);
  if (isPlainRecord(value)) return toStoredFields(value);
  return value;
}

export function toStoredFields(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([field, value]) => [field, toStored(value)]));
}

/** One value as read: BSON dates back to their ISO string (int64 already arrives as a number). */
export function fromStored(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(fromStored);
  if (isPlainRecord(value)) return Object.fromEntries(Object.entries(value).map(([field, inner]) => [field, fromStored(inner)]));
  return value;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
