// Calendar days and hours in the store's time zone (an IANA name), for figures "of the day":
// a sale at 2026-12-05T15:30Z is on 2026/12/06 at 0 o'clock in Tokyo.

export type LocalDate = string // YYYY-MM-DD

const formatters = new Map<string, Intl.DateTimeFormat>()

function wallClock(ms: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
    formatters.set(timeZone, formatter)
  }
  const parts: Record<string, number> = {}
  for (const part of formatter.formatToParts(new Date(ms))) if (part.type !== 'literal') parts[part.type] = Number(part.value)
  return { year: parts['year']!, month: parts['month']!, day: parts['day']!, hour: parts['hour']!, minute: parts['minute']!, second: parts['second']! }
}

/** How far the zone's wall clock is ahead of UTC at `ms`, in milliseconds. */
function offsetMs(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone)
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000
}

export function isLocalDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!m) return false
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3])
}

/** The calendar day `ms` falls on in `timeZone`. */
export function localDate(ms: number, timeZone: string): LocalDate {
  const w = wallClock(ms, timeZone)
  return `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`
}

/** The hour (0–23) on the wall clock of `timeZone` at `ms`. */
export function localHour(ms: number, timeZone: string): number {
  return wallClock(ms, timeZone).hour
}

/** When the day `date` begins in `timeZone`, in ms since the epoch. */
function dayStart(date: LocalDate, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const midnightAsUtc = Date.UTC(y, m - 1, d)
  // The offset at a guess, then at the result (they differ only when the zone changes its offset that night).
  const guess = midnightAsUtc - offsetMs(midnightAsUtc, timeZone)
  return midnightAsUtc - offsetMs(guess, timeZone)
}

/** The instants the day `date` spans in `timeZone`: [start, end), as ISO strings comparable with stored times. */
export function dayRange(date: LocalDate, timeZone: string): { start: string; end: string } {
  if (!isLocalDate(date)) throw new RangeError(`not a date: ${date}`)
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10)
  return { start: new Date(dayStart(date, timeZone)).toISOString(), end: new Date(dayStart(next, timeZone)).toISOString() }
}
