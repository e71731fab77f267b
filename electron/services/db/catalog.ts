// Products, their barcodes, stock, stores and coupons as the feed delivers them.
import { canonicalGtin } from '../../../shared/codes/gtin.ts'
import type { Coupon, Inventory, Product, Store } from '../../../shared/records.ts'
import { prepared, type ReadableDB, type WritableDB } from './handle.ts'

export function upsertProduct(db: WritableDB, product: Product, generation: number): void {
  prepared(
    db,
    `INSERT INTO products (sku, name, price_yen, active, record, sync_gen) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (sku) DO UPDATE SET name = excluded.name, price_yen = excluded.price_yen,
       active = excluded.active, record = excluded.record, sync_gen = excluded.sync_gen`,
  ).run(product.sku, product.name, product.price, product.active ? 1 : 0, JSON.stringify(product), generation)
  prepared(db, 'DELETE FROM product_barcodes WHERE sku = ?').run(product.sku)
  for (const code of product.barcodes) {
    prepared(db, 'INSERT OR REPLACE INTO product_barcodes (code, sku) VALUES (?, ?)').run(canonicalGtin(code), product.sku)
  }
}

export function deleteProduct(db: WritableDB, sku: string): void {
  prepared(db, 'DELETE FROM product_barcodes WHERE sku = ?').run(sku)
  prepared(db, 'DELETE FROM products WHERE sku = ?').run(sku)
}

export function getProduct(db: ReadableDB, sku: string): Product | null {
  const row = prepared<[string], { record: string }>(db, 'SELECT record FROM products WHERE sku = ?').get(sku)
  return row ? (JSON.parse(row.record) as Product) : null
}

/** The product a scanned barcode names (UPC-A and its EAN-13 form are one code). */
export function productByBarcode(db: ReadableDB, code: string): Product | null {
  const row = prepared<[string], { sku: string }>(db, 'SELECT sku FROM product_barcodes WHERE code = ?').get(canonicalGtin(code))
  return row ? getProduct(db, row.sku) : null
}

export function upsertInventory(db: WritableDB, inventory: Inventory, generation: number): void {
  prepared(
    db,
    `INSERT INTO inventory (id, store_id, sku, on_hand, sync_gen) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET store_id = excluded.store_id, sku = excluded.sku,
       on_hand = excluded.on_hand, sync_gen = excluded.sync_gen`,
  ).run(inventory.id, inventory.storeId, inventory.sku, inventory.onHand, generation)
}

export function deleteInventory(db: WritableDB, id: string): void {
  prepared(db, 'DELETE FROM inventory WHERE id = ?').run(id)
}

/** Units on hand at `storeId`, or null when the cache has no stock record for the pair. */
export function onHand(db: ReadableDB, storeId: string, sku: string): number | null {
  const row = prepared<[string, string], { on_hand: number }>(db, 'SELECT on_hand FROM inventory WHERE store_id = ? AND sku = ?').get(storeId, sku)
  return row ? row.on_hand : null
}

export function upsertStore(db: WritableDB, store: Store, generation: number): void {
  prepared(
    db,
    `INSERT INTO stores (store_id, name, sync_gen) VALUES (?, ?, ?)
     ON CONFLICT (store_id) DO UPDATE SET name = excluded.name, sync_gen = excluded.sync_gen`,
  ).run(store.storeId, store.name, generation)
}

export function deleteStore(db: WritableDB, storeId: string): void {
  prepared(db, 'DELETE FROM stores WHERE store_id = ?').run(storeId)
}

export function storeName(db: ReadableDB, storeId: string): string | null {
  const row = prepared<[string], { name: string }>(db, 'SELECT name FROM stores WHERE store_id = ?').get(storeId)
  return row ? row.name : null
}

export function upsertCoupon(db: WritableDB, coupon: Coupon, generation: number): void {
  prepared(
    db,
    `INSERT INTO coupons (code, record, sync_gen) VALUES (?, ?, ?)
     ON CONFLICT (code) DO UPDATE SET record = excluded.record, sync_gen = excluded.sync_gen`,
  ).run(coupon.code, JSON.stringify(coupon), generation)
}

export function deleteCoupon(db: WritableDB, code: string): void {
  prepared(db, 'DELETE FROM coupons WHERE code = ?').run(code)
}

export function getCoupon(db: ReadableDB, code: string): Coupon | null {
  const row = prepared<[string], { record: string }>(db, 'SELECT record FROM coupons WHERE code = ?').get(code)
  return row ? (JSON.parse(row.record) as Coupon) : null
}

export function countProducts(db: ReadableDB): number {
  return (prepared(db, 'SELECT count(*) AS n FROM products').get() as { n: number }).n
}

export type ProductSearchRow = { sku: string; name: string; price_yen: number; on_hand: number | null; barcode: string | null }

/**
 * Products for the sale panel's search box: a barcode or sku typed in full first, then skus
 * starting with the text, then names containing it. Active products only.
 */
export function searchProducts(db: ReadableDB, storeId: string, text: string, limit = 12): ProductSearchRow[] {
  const query = text.normalize('NFKC').trim()
  if (query === '') return []
  const like = `%${query.replaceAll(/[\\%_]/g, (c) => `\\${c}`)}%`
  return prepared<[string, string, string, string, string, string, number], ProductSearchRow>(
    db,
    `SELECT p.sku, p.name, p.price_yen, i.on_hand,
            (SELECT code FROM product_barcodes AS b WHERE b.sku = p.sku ORDER BY code LIMIT 1) AS barcode
       FROM products AS p
       LEFT JOIN inventory AS i ON i.store_id = ? AND i.sku = p.sku
      WHERE p.active = 1
        AND (p.sku = ? OR p.sku IN (SELECT sku FROM product_barcodes WHERE code = ?) OR p.sku LIKE ? || '%' ESCAPE '\\' OR p.name LIKE ? ESCAPE '\\')
      ORDER BY p.sku = ? DESC, p.name
      LIMIT ?`,
  ).all(storeId, query, canonicalGtin(query), query.replaceAll(/[\\%_]/g, (c) => `\\${c}`), like, query, limit)
}

/** Stock on hand here goes down at once for what this register sold (the feed corrects it later). */
export function decrementStock(db: WritableDB, storeId: string, sku: string, qty: number): void {
  prepared(db, 'UPDATE inventory SET on_hand = on_hand - ? WHERE store_id = ? AND sku = ?').run(qty, storeId, sku)
}
