// The sale being rung up at this register: lines, the customer, coupons and what the card showed.
// The draft is kept in the register's database after every change, so a restart of the app loses
// nothing; every figure the panel shows is computed here, with the same coupon engine that
// records the sale, so the panel, the stored sale and the pushed sale cannot disagree.
import { randomUUID } from 'node:crypto'
import { applicationOrder, applyCoupons } from '../../../shared/coupons/apply.ts'
import { scannedCouponStatus } from '../../../shared/coupons/card.ts'
import type { BasketLine } from '../../../shared/coupons/types.ts'
import { describeWarning, describeWhyNot } from '../../../shared/coupons/why-not.ts'
import { AppError } from '../../../shared/errors.ts'
import type { Coupon, Customer, Sale } from '../../../shared/records.ts'
import type { DraftCoupon, FinishedSale, Message, SaleDraftView } from '../../../shared/views.ts'
import { decrementStock, getCoupon, getProduct, onHand } from '../db/catalog.ts'
import { getCustomer } from '../db/customers.ts'
import { inTransaction, type WritableDB } from '../db/handle.ts'
import { readSetting, writeSetting } from '../db/settings.ts'
import { couponContextFor } from '../coupons/for-customer.ts'
import type { SignedIn } from '../staff/session.ts'
import { audit } from '../staff/audit.ts'
import { recordSale } from './record.ts'

const DRAFT_SETTING = 'sale.draft'
/** A line's quantity at the counter: more than this is a typo (or a wholesale order, not ours). */
export const MAX_QTY = 999

/** A line as it was when scanned: the price the customer was told stays, whatever the feed does meanwhile. */
type DraftLineState = { sku: string; name: string; unitPrice: number; category: string[]; qty: number }

type DraftState = {
  memberId: string | null
  lines: DraftLineState[]
  /** Coupon codes in the order the associate added them. */
  coupons: string[]
  /** Skus the card showed the draft's member. */
  shown: string[]
  posReceipt: string | null
}

const empty = (): DraftState => ({ memberId: null, lines: [], coupons: [], shown: [], posReceipt: null })

export type SaleDeskContext = {
  db: WritableDB
  storeId: string
  deviceId: string
  connectorKey: string
  currency: string
  now: () => Date
  offline: () => boolean
}

export type Priced = {
  state: DraftState
  customer: Customer | null
  coupons: DraftCoupon[]
  applied: Coupon[]
  lines: Array<DraftLineState & { discount: number }>
  subtotal: number
  total: number
}

export function createSaleDesk(context: SaleDeskContext) {
  const { db, now } = context

  function load(): DraftState {
    return { ...empty(), ...(readSetting<DraftState>(db, DRAFT_SETTING) ?? {}) }
  }

  function save(state: DraftState): void {
    writeSetting(db, DRAFT_SETTING, state)
  }

  /** Every figure of the draft: which coupons apply (in the order added, as a scan would), and the discounts. */
  function price(state: DraftState): Priced {
    const customer = state.memberId ? getCustomer(db, state.memberId) : null
    const basket: BasketLine[] = state.lines.map((l) => ({ sku: l.sku, qty: l.qty, unitPrice: l.unitPrice, category: l.category }))
    const couponContext = couponContextFor(db, customer, now(), context.offline())
    const applied: Coupon[] = []
    const statuses: Array<{ code: string; title: string; whyNot: Message | null; warnings: Message[] }> = []
    for (const code of state.coupons) {
      const coupon = getCoupon(db, code)
      if (!coupon) {
        statuses.push({ code, title: code, whyNot: { key: 'coupon.whyNot.gone', params: {} }, warnings: [] })
        continue
      }
      const status = scannedCouponStatus(coupon, couponContext, basket, applied)
      if (status.usable) applied.push(coupon)
      statuses.push({ code, title: coupon.title, whyNot: status.whyNot ? describeWhyNot(status.whyNot) : null, warnings: status.warnings.map(describeWarning) })
    }
    const application = applyCoupons(applied, state.lines)
    const discountOf = new Map(application.discounts.map((d) => [d.code, d.amount]))
    return {
      state,
      customer,
      applied,
      coupons: statuses.map((s) => ({ ...s, applied: discountOf.has(s.code), discountYen: discountOf.get(s.code) ?? 0 })),
      lines: application.lines,
      subtotal: application.subtotal,
      total: application.total,
    }
  }

  function viewOf(priced: Priced): SaleDraftView {
    const shown = new Set(priced.state.shown)
    return {
      memberId: priced.state.memberId,
      memberName: priced.customer?.displayName ?? null,
      lines: priced.lines.map((l) => ({
        sku: l.sku,
        name: l.name,
        qty: l.qty,
        unitPriceYen: l.unitPrice,
        amountYen: l.qty * l.unitPrice,
        discountYen: l.discount,
        onHandHere: onHand(db, context.storeId, l.sku),
        suggested: shown.has(l.sku),
      })),
      coupons: priced.coupons,
      subtotalYen: priced.subtotal,
      discountYen: priced.subtotal - priced.total,
      totalYen: priced.total,
      posReceipt: priced.state.posReceipt,
      suggestionsShown: priced.state.shown,
    }
  }

  function change(fn: (state: DraftState) => void): SaleDraftView {
    const state = load()
    fn(state)
    save(state)
    return viewOf(price(state))
  }

  function setQtyOf(state: DraftState, sku: string, qty: number): void {
    const index = state.lines.findIndex((l) => l.sku === sku)
    if (index < 0) throw new AppError('not_found', `${sku} is not on the sale`)
    if (qty <= 0) state.lines.splice(index, 1)
    else state.lines[index]!.qty = Math.min(qty, MAX_QTY)
  }

  return {
    view: (): SaleDraftView => viewOf(price(load())),

    /** Adds one product (or more of it: the same sku adds to its line). */
    addItem(sku: string, qty = 1): SaleDraftView {
      const product = getProduct(db, sku)
      if (!product) throw new AppError('not_found', `no product ${sku} in the cache`)
      if (product.currency !== context.currency) throw new AppError('sale_refused', `${sku} is priced in ${product.currency}, not ${context.currency}`)
      return change((state) => {
        const line = state.lines.find((l) => l.sku === sku)
        if (line) line.qty = Math.min(line.qty + qty, MAX_QTY)
        else state.lines.push({ sku, name: product.name, unitPrice: product.price, category: product.category, qty: Math.min(qty, MAX_QTY) })
      })
    },

    setQty: (sku: string, qty: number): SaleDraftView => change((state) => setQtyOf(state, sku, qty)),

    /** The customer in front of the register: a member scanned halfway attaches the sale to them. */
    setMember: (memberId: string | null): SaleDraftView =>
      change((state) => {
        if (state.memberId !== memberId) state.shown = []
        state.memberId = memberId
      }),

    /**
     * The card showed `skus` to `memberId`: they become the sale's suggestionsShown. A card of
     * another member switches the sale to them (the customer at the counter is who was scanned).
     */
    noteShown(memberId: string, skus: readonly string[]): void {
      const state = load()
      const switched = state.memberId !== memberId
      if (switched) {
        state.memberId = memberId
        state.shown = []
      }
      const known = new Set(state.shown)
      const added = skus.filter((sku) => !known.has(sku))
      if (!switched && added.length === 0) return
      state.shown.push(...added)
      save(state)
    },

    addCoupon(code: string): SaleDraftView {
      if (!getCoupon(db, code)) throw new AppError('not_found', `no coupon ${code} in the cache`)
      return change((state) => {
        if (!state.coupons.includes(code)) state.coupons.push(code)
      })
    },

    removeCoupon: (code: string): SaleDraftView =>
      change((state) => {
        state.coupons = state.coupons.filter((c) => c !== code)
      }),

    setReceipt: (text: string | null): SaleDraftView =>
      change((state) => {
        state.posReceipt = text === null || text.trim() === '' ? null : text.trim()
      }),

    /**
     * Records the sale (with its outbox row), counts its coupons and takes its lines off the
     * stock here, all in one transaction; then the register starts a new, empty sale.
     */
    finish(staff: SignedIn): FinishedSale {
      const priced = price(load())
      const { state } = priced
      if (state.lines.length === 0) throw new AppError('sale_refused', 'a sale needs at least one line')
      if (priced.total < 0) throw new AppError('sale_refused', 'a sale cannot total less than zero')
      const at = now().toISOString()
      const lineSkus = new Set(state.lines.map((l) => l.sku))
      const shown = state.memberId ? state.shown : []
      const sale: Sale = {
        saleId: randomUUID(),
        storeId: context.storeId,
        deviceId: context.deviceId,
        staffId: staff.staffId,
        ...(state.memberId ? { memberId: state.memberId } : {}),
        at,
        currency: context.currency,
        lines: priced.lines.map((l) => ({ sku: l.sku, qty: l.qty, unitPrice: l.unitPrice, discount: l.discount })),
        // In the order the coupon arithmetic applied them (profile-api.md "Coupon arithmetic").
        coupons: applicationOrder(priced.applied).map((c) => c.code),
        total: priced.total,
        suggestionsShown: shown,
        suggestionsAccepted: shown.filter((sku) => lineSkus.has(sku)),
        ...(state.posReceipt ? { posReceipt: state.posReceipt } : {}),
      }
      inTransaction(db, () => {
        recordSale({ db, storeId: context.storeId, deviceId: context.deviceId, connectorKey: context.connectorKey, now }, sale)
        for (const line of sale.lines) decrementStock(db, context.storeId, line.sku, line.qty)
        audit(db, { at: now(), deviceId: context.deviceId, staffId: staff.staffId, action: 'sale_finished', subject: sale.saleId, detail: { memberId: sale.memberId ?? null, total: sale.total, lines: sale.lines.length, coupons: sale.coupons } })
        save(empty())
      })
      return { saleId: sale.saleId, memberId: sale.memberId ?? null, memberName: priced.customer?.displayName ?? null, totalYen: sale.total, at }
    },

    /** Drops the sale being rung up (nothing was recorded); the audit log keeps what it held. */
    void(staff: SignedIn): SaleDraftView {
      const priced = price(load())
      inTransaction(db, () => {
        if (priced.state.lines.length > 0 || priced.state.coupons.length > 0) {
          audit(db, { at: now(), deviceId: context.deviceId, staffId: staff.staffId, action: 'sale_voided', subject: priced.state.memberId, detail: { total: priced.total, lines: priced.state.lines.map((l) => ({ sku: l.sku, qty: l.qty })), coupons: priced.state.coupons } })
        }
        save(empty())
      })
      return viewOf(price(empty()))
    },
  }
}

export type SaleDesk = ReturnType<typeof createSaleDesk>
