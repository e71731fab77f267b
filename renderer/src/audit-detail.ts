// An audit entry's detail, recorded as JSON for machines (and exported so in the CSV), read
// on the manager's page as short "label: value" pairs in the UI language.
import { yen } from './format.ts'

/** vue-i18n's `t` and `te`, or anything that answers the same. */
export type Messages = { t: (key: string) => string; te: (key: string) => boolean }

/** Values that are one of a few words the services write get their words; the rest (a manager's free text, ids) stay. */
const WORDS: Record<string, string> = { reason: 'manager.audit.reasons', via: 'manager.audit.via', role: 'staff.role', code: 'errors' }

function valueText(key: string, value: unknown, m: Messages): string {
  if (value === null || value === undefined) return '—'
  if (key === 'total' && typeof value === 'number') return yen(value)
  if (Array.isArray(value)) {
    if (value.length === 0) return '—'
    return value.map((v) => (v && typeof v === 'object' && 'sku' in v ? `${String(v.sku)} ×${String((v as { qty?: unknown }).qty ?? 1)}` : String(v))).join(', ')
  }
  if (typeof value === 'object') return JSON.stringify(value)
  const words = WORDS[key]
  if (words && typeof value === 'string' && m.te(`${words}.${value}`)) return m.t(`${words}.${value}`)
  return String(value)
}

/** `[label, value]` pairs, in the order recorded; a detail that is not a JSON object is shown as it is. */
export function auditDetail(json: string | null, m: Messages): Array<[string, string]> {
  if (json === null || json === '') return []
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    return [['', json]]
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return [['', json]]
  return Object.entries(parsed).map(([key, value]) => [m.te(`manager.audit.details.${key}`) ? m.t(`manager.audit.details.${key}`) : key, valueText(key, value, m)])
}
