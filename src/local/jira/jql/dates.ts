// Date values in JQL: absolute dates, periods relative to now, and the date
// functions. Jira reads them in the searching user's time zone; the emulator
// has no per-user zone for searches, so every calendar boundary here is UTC.
import { jqlMessages } from './messages';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const WEEK = 7 * DAY;

export type Dated = { ok: true; at: number } | { ok: false; message: string };

const ABSOLUTE = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/;
const PERIOD_PART = /(\d+)\s*([wdhm])\s*/y;
const EPOCH_MS = /^-?\d+$/;

/**
 * A date literal: `2026-01-31`, `2026/01/31 10:00`, a period such as `-1d`,
 * `-2w`, `4w 2d` (all relative to `now`), or epoch milliseconds.
 */
export function parseDateLiteral(text: string, now: number): number | undefined {
  const value = text.trim();
  const absolute = ABSOLUTE.exec(value);
  if (absolute) return absoluteDate(absolute);
  if (EPOCH_MS.test(value)) return Number(value);
  const period = parsePeriod(value);
  return period === undefined ? undefined : now + period;
}

function absoluteDate(match: RegExpExecArray): number | undefined {
  const [, y, mo, d, h, mi] = match;
  const year = Number(y);
  const month = Number(mo) - 1;
  const day = Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  if (hour > 23 || minute > 59) return undefined;
  const at = Date.UTC(year, month, day, hour, minute);
  const check = new Date(at);
  // Date.UTC rolls 2026-02-30 over to March; Jira rejects such dates.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month || check.getUTCDate() !== day) return undefined;
  return at;
}

/** Milliseconds of a period such as `-4w 2d`, the sign applying to the whole period. */
function parsePeriod(value: string): number | undefined {
  let rest = value;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1).trimStart();
  }
  if (rest === '') return undefined;
  PERIOD_PART.lastIndex = 0;
  let total = 0;
  while (PERIOD_PART.lastIndex < rest.length) {
    const part = PERIOD_PART.exec(rest);
    if (!part) return undefined;
    total += Number(part[1]) * UNIT_MS[part[2] as 'w' | 'd' | 'h' | 'm'];
  }
  return sign * total;
}

const UNIT_MS = { w: WEEK, d: DAY, h: HOUR, m: MINUTE } as const;

type Period = 'day' | 'week' | 'month' | 'year';

const NATURAL_UNIT: Record<Period, string> = { day: 'd', week: 'w', month: 'M', year: 'y' };

interface DateFunction {
  name: string;
  maxArgs: number;
  evaluate(now: number, increment: Increment | undefined): number;
}

const dateFunctions = new Map<string, DateFunction>();

function register(fn: DateFunction): void {
  dateFunctions.set(fn.name.toLowerCase(), fn);
}

register({ name: 'now', maxArgs: 0, evaluate: (now) => now });
for (const period of ['day', 'week', 'month', 'year'] as const) {
  const title = period[0]!.toUpperCase() + period.slice(1);
  // Jira takes the boundary first and then adds the increment:
  // startOfMonth("+14d") is the 15th of this month.
  register({
    name: `startOf${title}`,
    maxArgs: 1,
    evaluate: (now, inc) => applyIncrement(startOf(period, now), inc),
  });
  register({
    name: `endOf${title}`,
    maxArgs: 1,
    evaluate: (now, inc) => applyIncrement(nextStart(period, now) - 1, inc),
  });
}

export function isDateFunction(name: string): boolean {
  return dateFunctions.has(name.toLowerCase());
}

/** Evaluates `now()`, `startOfDay(-1)`, `endOfWeek("+1w")`… at `now`. */
export function evaluateDateFunction(name: string, args: readonly string[], now: number): Dated {
  const fn = dateFunctions.get(name.toLowerCase());
  if (!fn) return { ok: false, message: jqlMessages.unknownFunction(`${name}(${args.join(', ')})`) };
  if (args.length > fn.maxArgs) {
    return { ok: false, message: jqlMessages.functionArity(name, 0, fn.maxArgs, args.length) };
  }
  let increment: Increment | undefined;
  if (args.length === 1) {
    increment = parseIncrement(args[0]!, naturalUnitOf(fn.name));
    if (!increment) return { ok: false, message: jqlMessages.functionDuration(name) };
  }
  return { ok: true, at: fn.evaluate(now, increment) };
}

function naturalUnitOf(functionName: string): string {
  const period = functionName.replace(/^(startOf|endOf)/, '').toLowerCase() as Period;
  return NATURAL_UNIT[period] ?? 'd';
}

interface Increment {
  amount: number;
  unit: string;
}

function parseIncrement(text: string, naturalUnit: string): Increment | undefined {
  const match = /^([+-]?)(\d+)([yMwdhm]?)$/.exec(text.trim());
  if (!match) return undefined;
  const amount = Number(match[2]) * (match[1] === '-' ? -1 : 1);
  return { amount, unit: match[3] || naturalUnit };
}

function applyIncrement(at: number, increment: Increment | undefined): number {
  if (!increment) return at;
  const { amount, unit } = increment;
  switch (unit) {
    case 'y':
      return addMonths(at, 12 * amount);
    case 'M':
      return addMonths(at, amount);
    case 'w':
      return at + amount * WEEK;
    case 'd':
      return at + amount * DAY;
    case 'h':
      return at + amount * HOUR;
    default:
      return at + amount * MINUTE;
  }
}

/** Calendar month arithmetic that keeps the day within the target month, as java.util.Calendar does. */
function addMonths(at: number, months: number): number {
  const date = new Date(at);
  const target = date.getUTCMonth() + months;
  const year = date.getUTCFullYear() + Math.floor(target / 12);
  const month = ((target % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(date.getUTCDate(), lastDay);
  return Date.UTC(year, month, day) + (at - Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

export function startOfDay(at: number): number {
  return Math.floor(at / DAY) * DAY;
}

function startOf(period: Period, at: number): number {
  const date = new Date(at);
  switch (period) {
    case 'day':
      return startOfDay(at);
    case 'week':
      // Weeks start on Sunday, as in Jira's default (en_US) locale.
      return startOfDay(at) - date.getUTCDay() * DAY;
    case 'month':
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
    case 'year':
      return Date.UTC(date.getUTCFullYear(), 0, 1);
  }
}

function nextStart(period: Period, at: number): number {
  const start = startOf(period, at);
  switch (period) {
    case 'day':
      return start + DAY;
    case 'week':
      return start + WEEK;
    case 'month':
      return addMonths(start, 1);
    case 'year':
      return addMonths(start, 12);
  }
}

/** A `YYYY-MM-DD` due date as the epoch milliseconds of its (UTC) midnight. */
export function dayOf(isoDate: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!match) return null;
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}
