// The demo catalog, built whole at construction: a few thousand products cost milliseconds, and
// events need indexes over them (styles per interest group, variants per size, stock per store).
import type { Inventory, Product, Store } from '../../../../shared/records.ts'
import { gtinCheckDigit } from '../../../../shared/codes/gtin.ts'
import {
  apparelSizes,
  groups,
  makerPrefixes,
  shoeSizes,
  storeSeeds,
  templates,
  type Template,
  type Variant,
} from './catalog-data.ts'
import { at, Rng, rngFor, streams, unit } from './random.ts'

export type Style = {
  template: Template
  group: number
  /** Product indices, variant-major: products[variant * sizeRun.length + size]. */
  products: number[]
  sizeRun: readonly string[]
  variantCount: number
}

export type Catalog = {
  products: Product[]
  styles: Style[]
  productStyle: Int32Array
  /** Style indices of each interest group, in `groups` order. */
  groupStyles: number[][]
  /** onHand of product p in store s at stock[s * products.length + p]. */
  stock: Uint8Array
  stores: Store[]
  registerStore: number
}

const romanRounds = ['', ' II', ' III', ' IV', ' V', ' VI', ' VII', ' VIII']

/** Whole yen with the endings Japanese price tags use (…90, …00). */
function priceTag(raw: number, rng: Rng): number {
  if (raw < 1000) {
    const tens = Math.max(100, Math.round(raw / 10) * 10)
    return rng.chance(0.6) ? Math.floor(tens / 100) * 100 + 90 : tens
  }
  const hundreds = Math.round(raw / 100) * 100
  return rng.chance(0.65) ? hundreds - 10 : hundreds
}

function sizeCode(size: string): string {
  return size.replace('.', '')
}

export function jan13(prefix7: string, itemNumber: number): string {
  const body = prefix7 + String(itemNumber).padStart(5, '0')
  return body + String(gtinCheckDigit(body))
}

export function ean8(itemNumber: number): string {
  const body = '49' + String(itemNumber).padStart(5, '0')
  return body + String(gtinCheckDigit(body))
}

/**
 * The register's store is always in the list: when the configured id is not one of the demo's,
 * it takes the place of S001, so stock and home-store members exist for it.
 */
export function buildStores(registerStoreId: string): { stores: Store[]; registerStore: number } {
  const known = storeSeeds.findIndex((s) => s.storeId === registerStoreId)
  const stores = storeSeeds.map((s, i) => ({
    storeId: known === -1 && i === 0 ? registerStoreId : s.storeId,
    name: s.name,
  }))
  return { stores, registerStore: known === -1 ? 0 : known }
}

function variantsOf(template: Template, rng: Rng): (Variant | null)[] {
  if (template.variants.length === 0) return [null]
  const [min, max] = template.variantsPerStyle
  const n = rng.between(min, Math.min(max, template.variants.length))
  return rng.shuffled(template.variants).slice(0, n)
}

export function buildCatalog(seed: number, productCount: number, registerStoreId: string): Catalog {
  const weights = templates.map((t) => t.weight)
  // Each template walks its own shuffled detail × item combinations, so style names repeat only
  // once a template has used them all (then with a II, III suffix, as ranges do).
  const combos = templates.map((t, ti) => {
    const all: [number, number][] = []
    for (let d = 0; d < t.details.length; d++) for (let i = 0; i < t.items.length; i++) all.push([d, i])
    return rngFor(seed, streams.style, 0x10000 + ti).shuffled(all)
  })
  const usedPerTemplate = new Array<number>(templates.length).fill(0)
  const products: Product[] = []
  const styles: Style[] = []
  const productStyleList: number[] = []
  const groupStyles: number[][] = groups.map(() => [])

  while (products.length < productCount) {
    const styleIndex = styles.length
    const rng = rngFor(seed, streams.style, styleIndex)
    // One style of every template first, so even a small test catalog has every kind of product.
    const ti = styleIndex < templates.length ? styleIndex : rng.weighted(weights)
    const template = at(templates, ti, 'buildCatalog')
    const used = usedPerTemplate[ti] ?? 0
    usedPerTemplate[ti] = used + 1
    const ownCombos = at(combos, ti, 'buildCatalog')
    const [d, i] = at(ownCombos, used % ownCombos.length, 'buildCatalog')
    const detail = at(template.details, d, 'buildCatalog')
    const round = romanRounds[Math.floor(used / ownCombos.length)] ?? ` ${Math.floor(used / ownCombos.length) + 1}`
    const baseName = `${detail} ${at(template.items, i, 'buildCatalog')}${round}`
    const styleCode = template.key + String(used + 1).padStart(4, '0')
    const [low, high] = template.priceYen
    const price = priceTag(low + rng.next() * (high - low), rng)
    const variants = variantsOf(template, rng)
    const sizeRun: readonly string[] =
      template.sizes === 'apparel' ? apparelSizes : template.sizes === 'shoes' ? shoeSizes : ['']
    const group = groups.indexOf(template.group)
    const style: Style = { template, group, products: [], sizeRun, variantCount: variants.length }

    for (const variant of variants) {
      for (const size of sizeRun) {
        if (products.length >= productCount) break
        const p = products.length
        products.push(productRecord(seed, p, template, styleCode, baseName, detail, variant, size, price))
        style.products.push(p)
        productStyleList.push(styleIndex)
      }
    }
    styles.push(style)
    at(groupStyles, group, 'buildCatalog').push(styleIndex)
  }

  const { stores, registerStore } = buildStores(registerStoreId)
  const stock = new Uint8Array(stores.length * products.length)
  for (let s = 0; s < stores.length; s++) {
    for (let p = 0; p < products.length; p++) {
      stock[s * products.length + p] = at(products, p, 'buildCatalog').active ? onHandOf(seed, s, p) : 0
    }
  }
  return { products, styles, productStyle: Int32Array.from(productStyleList), groupStyles, stock, stores, registerStore }
}

/** 0..30, about one in ten sold out, most shelves holding a handful. */
function onHandOf(seed: number, store: number, product: number): number {
  const u = unit(seed, streams.inventory, store, product)
  if (u < 0.1) return 0
  const v = (u - 0.1) / 0.9
  return Math.min(30, 1 + Math.floor(v * v * 30))
}

function productRecord(
  seed: number,
  p: number,
  template: Template,
  styleCode: string,
  baseName: string,
  detail: string,
  variant: Variant | null,
  size: string,
  price: number,
): Product {
  const rng = rngFor(seed, streams.product, p)
  const barcodes = [jan13(makerPrefixes[template.group], p)]
  const extra = rng.next()
  if (extra < 0.02 && template.consumable) barcodes.push(ean8(p))
  else if (extra > 0.98) barcodes.push('MSB' + String(p).padStart(7, '0'))

  let sku = styleCode
  let name = baseName
  const attributes: Record<string, string> = {}
  if (variant) {
    sku += '-' + variant.code
    name += ' ' + variant.label
    attributes[template.variantAttribute] = variant.label
  } else if (template.variantAttribute === 'scent') {
    attributes.scent = detail
  }
  if (size) {
    sku += '-' + sizeCode(size)
    name += ' ' + (template.sizes === 'shoes' ? `${size}cm` : size)
    attributes.size = size
  }
  const active = !rng.chance(0.03)
  return {
    sku,
    barcodes,
    name,
    category: template.category.slice(),
    price,
    currency: 'JPY',
    ...(Object.keys(attributes).length > 0 ? { attributes } : {}),
    active,
  }
}

export function inventoryRecord(catalog: Catalog, index: number): Inventory {
  const productCount = catalog.products.length
  const store = at(catalog.stores, Math.floor(index / productCount), 'inventoryRecord')
  const p = index % productCount
  const sku = at(catalog.products, p, 'inventoryRecord').sku
  return { id: `${store.storeId}:${sku}`, storeId: store.storeId, sku, onHand: catalog.stock[index] ?? 0 }
}
