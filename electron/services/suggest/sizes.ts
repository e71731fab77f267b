// Sizes: a product that comes in sizes is suggested in the customer's own size when they gave one.
// The profile has no "style" record, so a style's sizes are found the way retailers' skus are
// built (the demo's and Shopify's alike): the sizes of one style and colour share the sku up to
// its last '-', and their attributes differ only in `size`.
import type { ReadableDB } from '../db/handle.ts'
import { productsWithPrefix, type ProductRow } from './db-source.ts'

/** Which of the customer's sizes (keys of Customer.sizes) a category path is measured in. */
const sizeKeyPatterns: [string, RegExp][] = [
  ['shoes', /靴|シューズ|スニーカー|サンダル|ブーツ|shoe|sneaker|sandal|boot/i],
  ['bottoms', /ボトムス|パンツ|スカート|bottom|pant|trouser|skirt/i],
  ['tops', /トップス|アウター|シャツ|ウェア|top|shirt|outer|jacket|wear/i],
]

/** The sizes of one style and colour share this key (the sku itself for a product without sizes). */
export function familyOf(product: Pick<ProductRow, 'sku' | 'size'>): string {
  const cut = product.sku.lastIndexOf('-')
  return product.size !== null && cut > 0 ? product.sku.slice(0, cut) : product.sku
}

/** The same cut for a sku alone (products bought or dismissed, whose record is not read). */
export function stemOf(sku: string): string {
  const cut = sku.lastIndexOf('-')
  return cut > 0 ? sku.slice(0, cut) : sku
}

/** The customer's size for this product: the one for its kind of category, else any they gave. */
function wantedSizes(product: ProductRow, sizes: Record<string, string>): string[] {
  const category = product.category ?? ''
  for (const [key, pattern] of sizeKeyPatterns) {
    const size = sizes[key]
    if (size !== undefined && pattern.test(category)) return [size]
  }
  return [...new Set(Object.values(sizes))]
}

function sameButSize(a: string | null, b: string | null): boolean {
  const strip = (json: string | null): string => {
    const attributes = json ? (JSON.parse(json) as Record<string, unknown>) : {}
    delete attributes['size']
    return JSON.stringify(Object.keys(attributes).sort().map((k) => [k, attributes[k]]))
  }
  return strip(a) === strip(b)
}

export type SizeFit =
  /** No sizes on either side: nothing to say. */
  | { kind: 'none' }
  /** In the customer's size: this product, or the same style in their size. */
  | { kind: 'fits'; product: ProductRow; size: string }
  /** Sized, but not available in the customer's size. */
  | { kind: 'other_size' }

export function fitToSize(db: ReadableDB, product: ProductRow, sizes: Record<string, string> | undefined): SizeFit {
  if (product.size === null || !sizes || Object.keys(sizes).length === 0) return { kind: 'none' }
  const wanted = wantedSizes(product, sizes)
  if (wanted.includes(product.size)) return { kind: 'fits', product, size: product.size }
  const family = familyOf(product)
  if (family === product.sku) return { kind: 'other_size' }
  const siblings = productsWithPrefix(db, family + '-').filter(
    (p) => p.active && p.size !== null && familyOf(p) === family && sameButSize(p.attributes, product.attributes),
  )
  for (const size of wanted) {
    const sibling = siblings.find((p) => p.size === size)
    if (sibling) return { kind: 'fits', product: sibling, size }
  }
  return { kind: 'other_size' }
}
