// The shared profile's records, exactly as ../shared/profile-api.md "Records" describes them.
// Unknown fields are stripped (forward compatible); a record that fails its schema is skipped
// and counted by the sync path, never applied half-way.
import { z } from 'zod'

const isoTime = z.string().min(1).refine((s) => !Number.isNaN(Date.parse(s)), 'not an RFC 3339 time')
const yen = z.number().int()

export const customerSchema = z.object({
  memberId: z.string().min(1).max(64),
  displayName: z.string().min(1).max(200),
  nameKana: z.string().max(200).optional(),
  email: z.string().max(320).optional(),
  phone: z.string().max(40).optional(),
  tier: z.string().max(40).optional(),
  points: z.number().int().optional(),
  tags: z.array(z.string().max(80)).max(200),
  consent: z.object({ personalization: z.boolean() }),
  sizes: z.record(z.string(), z.string()).optional(),
  updatedAt: isoTime,
})
export type Customer = z.infer<typeof customerSchema>

export const productSchema = z.object({
  sku: z.string().min(1).max(64),
  barcodes: z.array(z.string().min(1).max(64)).max(50),
  name: z.string().min(1).max(300),
  category: z.array(z.string()).max(10),
  price: yen.nonnegative(),
  currency: z.string().length(3),
  attributes: z.record(z.string(), z.string()).optional(),
  imageUrl: z.string().max(2000).optional(),
  active: z.boolean(),
})
export type Product = z.infer<typeof productSchema>

export const inventorySchema = z.object({
  id: z.string().min(1),
  storeId: z.string().min(1),
  sku: z.string().min(1),
  onHand: z.number().int(),
})
export type Inventory = z.infer<typeof inventorySchema>

export const storeSchema = z.object({
  storeId: z.string().min(1),
  name: z.string().min(1),
})
export type Store = z.infer<typeof storeSchema>

export const couponSchema = z.object({
  code: z.string().min(1).max(64),
  title: z.string().min(1).max(300),
  discount: z.object({ type: z.enum(['percent', 'amount']), value: z.number().int().nonnegative() }),
  minSpend: yen.nonnegative().optional(),
  skus: z.array(z.string()).optional(),
  categories: z.array(z.array(z.string())).optional(),
  validFrom: isoTime,
  validTo: isoTime,
  perCustomerLimit: z.number().int().positive().optional(),
  maxRedemptions: z.number().int().positive().optional(),
  audience: z
    .object({
      tags: z.array(z.string()).optional(),
      tiers: z.array(z.string()).optional(),
      memberIds: z.array(z.string()).optional(),
    })
    .optional(),
  stackable: z.boolean(),
})
export type Coupon = z.infer<typeof couponSchema>

export const eventTypes = ['view', 'cart', 'wishlist', 'purchase', 'coupon_redeemed'] as const
export const channels = ['web', 'app', 'store'] as const
export type EventType = (typeof eventTypes)[number]
export type Channel = (typeof channels)[number]

export const eventSchema = z.object({
  id: z.string().min(1).max(200),
  memberId: z.string().min(1).max(64),
  type: z.enum(eventTypes),
  channel: z.enum(channels),
  sku: z.string().optional(),
  qty: z.number().int().optional(),
  price: yen.optional(),
  orderId: z.string().optional(),
  storeId: z.string().optional(),
  couponCode: z.string().optional(),
  at: isoTime,
})
export type ProfileEvent = z.infer<typeof eventSchema>

export const saleLineSchema = z.object({
  sku: z.string().min(1),
  qty: z.number().int().positive(),
  unitPrice: yen.nonnegative(),
  discount: yen.nonnegative(),
})

export const saleSchema = z.object({
  saleId: z.uuid(),
  storeId: z.string().min(1),
  deviceId: z.string().min(1),
  staffId: z.string().min(1),
  memberId: z.string().min(1).optional(),
  at: isoTime,
  currency: z.string().length(3),
  lines: z.array(saleLineSchema).min(1),
  coupons: z.array(z.string()),
  total: yen.nonnegative(),
  suggestionsShown: z.array(z.string()),
  suggestionsAccepted: z.array(z.string()),
  posReceipt: z.string().optional(),
})
export type Sale = z.infer<typeof saleSchema>

/** The kinds of record the changes feed carries, with the schema and id field of each. */
export const recordKinds = {
  customer: { schema: customerSchema, idOf: (r: Customer) => r.memberId },
  product: { schema: productSchema, idOf: (r: Product) => r.sku },
  inventory: { schema: inventorySchema, idOf: (r: Inventory) => r.id },
  coupon: { schema: couponSchema, idOf: (r: Coupon) => r.code },
  event: { schema: eventSchema, idOf: (r: ProfileEvent) => r.id },
  store: { schema: storeSchema, idOf: (r: Store) => r.storeId },
} as const
export type RecordKind = keyof typeof recordKinds
export type RecordOf<K extends RecordKind> = z.infer<(typeof recordKinds)[K]['schema']>

/** One change of the feed as it arrives (not yet validated). */
export type RawChange = { kind: string; op: string; id: string; data?: unknown }

/** A validated change, ready to apply. */
export type Change = {
  [K in RecordKind]: { kind: K; op: 'upsert'; id: string; data: RecordOf<K> } | { kind: K; op: 'delete'; id: string }
}[RecordKind]
