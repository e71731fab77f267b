// What the customer search index holds for a member, and how a typed query becomes an FTS5
// query over it. Terms are folded (normalize.ts) on both sides so any width or kana form matches.
import type { Customer } from '../records.ts'
import { digitsOnly, foldForSearch } from './normalize.ts'

/** The searchable terms of a customer, space separated (one FTS5 column). */
export function customerSearchTerms(customer: Customer): string {
  const terms: string[] = [foldForSearch(customer.memberId)]
  const memberDigits = digitsOnly(customer.memberId)
  if (memberDigits && memberDigits !== customer.memberId) terms.push(memberDigits)
  const name = foldForSearch(customer.displayName)
  terms.push(name, name.replace(/\s+/g, ''))
  if (customer.nameKana) {
    const kana = foldForSearch(customer.nameKana)
    terms.push(kana, kana.replace(/\s+/g, ''))
  }
  if (customer.phone) {
    const digits = digitsOnly(customer.phone)
    terms.push(foldForSearch(customer.phone), digits, digits.slice(-4))
  }
  if (customer.email) terms.push(foldForSearch(customer.email))
  return terms.join(' ')
}

/**
 * The FTS5 query for what the associate typed: every whitespace-separated word must match
 * the start of a term (prefix search). Null when there is nothing to search for.
 */
export function customerSearchQuery(input: string): string | null {
  const words = foldForSearch(input)
    .split(/\s+/)
    .map((w) => w.replace(/["*^():{}+\-.@_,;/\\[\]<>!?'`~|&=%$#]/g, ' ').trim())
    .filter((w) => w.length > 0)
  if (words.length === 0) return null
  return words.map((w) => `"${w}"*`).join(' ')
}
