// Dates, times and numbers as PORTAL.md writes them: always in WIB (Asia/Jakarta), whatever
// the device's zone, so a phone set to another zone still shows the office's clock.
export const WIB = "Asia/Jakarta";
export type Locale = "id" | "en";

const TAGS: Record<Locale, string> = { id: "id-ID", en: "en-GB" };

function asInstant(value: string | Date): Date {
  if (value instanceof Date) return value;
  // A calendar date ("2026-11-30") is a day in Sawahlunto, not midnight UTC.
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T12:00:00+07:00`) : new Date(value);
}

function fmt(value: string | Date, options: Intl.DateTimeFormatOptions, locale: Locale): string {
  return new Intl.DateTimeFormat(TAGS[locale], { timeZone: WIB, ...options }).format(
    asInstant(value),
  );
}

/** `Senin, 30 November 2026` */
export function dateLong(value: string | Date, locale: Locale = "id"): string {
  return fmt(value, { weekday: "long", day: "numeric", month: "long", year: "numeric" }, locale);
}

/** `30 Nov 2026` */
export function dateShort(value: string | Date, locale: Locale = "id"): string {
  return fmt(value, { day: "numeric", month: "short", year: "numeric" }, locale).replace(".", "");
}

/** `November 2026` */
export function monthYear(value: string | Date, locale: Locale = "id"): string {
  return fmt(value, { month: "long", year: "numeric" }, locale);
}

/** `07.30 WIB` — a period between hours and minutes, the zone written. */
export function timeWib(value: string | Date): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: WIB,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(asInstant(value));
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? "00";
  return `${get("hour")}.${get("minute")} WIB`;
}

/** Today's date in WIB as `YYYY-MM-DD`. */
export function todayWib(now: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: WIB }).format(now);
}

/** `1.500.000` */
export function number(value: number): string {
  return new Intl.NumberFormat("id-ID", { maximumFractionDigits: 2 }).format(value);
}

/** `Rp1.500.000` */
export function money(value: number): string {
  return `Rp${new Intl.NumberFormat("id-ID", { maximumFractionDigits: 0 }).format(value)}`;
}

/** `87,5%` */
export function percent(value: number): string {
  return `${new Intl.NumberFormat("id-ID", { maximumFractionDigits: 1 }).format(value)}%`;
}

/** `19830325 201103 2 001` — birth date, CPNS TMT, sex, serial. */
export function nip(value: string): string {
  if (!/^\d{18}$/.test(value)) return value;
  return `${value.slice(0, 8)} ${value.slice(8, 14)} ${value.slice(14, 15)} ${value.slice(15)}`;
}

/** Monday to Friday between two dates, both included: the estimate before sending a
 * request; presensi counts the unit's schedule and holidays and answers the real figure. */
export function weekdaysBetween(start: string, end: string, holidays: string[] = []): number {
  const skip = new Set(holidays);
  let count = 0;
  const day = new Date(`${start}T00:00:00Z`);
  const last = new Date(`${end}T00:00:00Z`);
  while (day <= last) {
    const weekday = day.getUTCDay();
    if (weekday !== 0 && weekday !== 6 && !skip.has(day.toISOString().slice(0, 10))) count += 1;
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return count;
}
