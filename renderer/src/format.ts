// How money and time read at a Japanese counter, in either UI language: `¥1,200`
// (tax included), `2026/11/22`, 24-hour `14:02`, in the store's time zone.

export function yen(amount: number): string {
  return (amount < 0 ? '-¥' : '¥') + Math.abs(amount).toLocaleString('en-US')
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function parts(iso: string, timeZone: string): Record<string, string> {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    formatters.set(timeZone, formatter)
  }
  const out: Record<string, string> = {}
  for (const part of formatter.formatToParts(new Date(iso))) out[part.type] = part.value
  return out
}

export function formatDate(iso: string, timeZone: string): string {
  const p = parts(iso, timeZone)
  return `${p['year']}/${p['month']}/${p['day']}`
}

export function formatTime(iso: string, timeZone: string): string {
  const p = parts(iso, timeZone)
  return `${p['hour']}:${p['minute']}`
}

export function formatDateTime(iso: string, timeZone: string): string {
  return `${formatDate(iso, timeZone)} ${formatTime(iso, timeZone)}`
}

/** "14:02" for today, "2026/11/20 14:02" otherwise. */
export function formatAsOf(iso: string, timeZone: string, now: Date = new Date()): string {
  return formatDate(iso, timeZone) === formatDate(now.toISOString(), timeZone) ? formatTime(iso, timeZone) : formatDateTime(iso, timeZone)
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US')
}
