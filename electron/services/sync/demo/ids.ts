// Order ids of the generated history. Ids must never collide (the cache merges events by id), so
// they are unique by construction rather than by the odds of a hash.
import { fmix32, hash32, streams } from './random.ts'

/**
 * A sale id as a register makes them (a UUID v4), stable for (seed, member, order). The first
 * group is a bijection of the member and the last eight digits one of the order given the
 * member; the other digits are only there to look random.
 */
export function saleIdOf(seed: number, member: number, order: number): string {
  const hex = (n: number): string => n.toString(16).padStart(8, '0')
  const memberWord = fmix32((member + hash32(seed, streams.sale, 0)) | 0)
  const orderWord = fmix32(((order ^ memberWord) + hash32(seed, streams.sale, 1)) | 0)
  const a = hex(hash32(seed, streams.sale, member, order * 2))
  const b = hex(hash32(seed, streams.sale, member, order * 2 + 1))
  const variant = ((parseInt(b.charAt(7), 16) & 3) | 8).toString(16)
  return `${hex(memberWord)}-${a.slice(0, 4)}-4${a.slice(4, 7)}-${variant}${b.slice(0, 3)}-${b.slice(3, 7)}${hex(orderWord)}`
}

/** The web shop's order number: member and order, readable in the timeline. */
export function onlineOrderIdOf(member: number, order: number): string {
  return `EC-${String(member + 1).padStart(7, '0')}-${String(order + 1).padStart(4, '0')}`
}
