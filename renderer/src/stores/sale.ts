import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { FinishedSale, RecentSaleView, SaleDraftView } from '../../../shared/views.ts'
import { ApiError } from '../../../shared/ipc/bridge.ts'
import { api } from '../bridge.ts'
import { useCounterStore } from './counter.ts'
import { useCustomerStore } from './customer.ts'

/** The sale being rung up. Every figure comes from the node side (the same coupon engine records it). */
export const useSaleStore = defineStore('sale', () => {
  const draft = shallowRef<SaleDraftView | null>(null)
  const recent = shallowRef<RecentSaleView[]>([])
  const lastFinished = shallowRef<FinishedSale | null>(null)
  const busy = ref(false)

  /** Runs a change of the draft; a refusal becomes a notice the associate can read out. */
  async function run(change: () => Promise<SaleDraftView>): Promise<SaleDraftView | null> {
    try {
      draft.value = await change()
      return draft.value
    } catch (error) {
      useCounterStore().sayError(error)
      return null
    }
  }

  async function load(): Promise<void> {
    await run(() => api.sales.draft())
  }

  async function addItem(sku: string, qty = 1): Promise<SaleDraftView | null> {
    return run(() => api.sales.addItem(sku, qty))
  }

  const setQty = (sku: string, qty: number) => run(() => api.sales.setQty(sku, qty))
  const removeCoupon = (code: string) => run(() => api.sales.removeCoupon(code))
  const setReceipt = (text: string | null) => run(() => api.sales.setReceipt(text))

  /** A coupon scanned or tapped on the card: it stays listed with why when it does not apply. */
  async function addCoupon(code: string): Promise<SaleDraftView | null> {
    const next = await run(() => api.sales.addCoupon(code))
    const added = next?.coupons.find((c) => c.code === code)
    if (added && !added.applied && added.whyNot) useCounterStore().say('warn', 'sale.couponNotApplied', { title: added.title }, added.whyNot)
    return next
  }

  async function finish(): Promise<void> {
    if (busy.value) return
    busy.value = true
    try {
      const done = await api.sales.finish()
      lastFinished.value = done
      draft.value = await api.sales.draft()
      // The next customer does not see the last one; they stay one tap away.
      useCustomerStore().clear()
      useCounterStore().say('info', done.memberName ? 'sale.finishedMember' : 'sale.finished', { total: done.totalYen, name: done.memberName ?? '' })
      await loadRecent()
    } catch (error) {
      useCounterStore().sayError(error)
    } finally {
      busy.value = false
    }
  }

  async function voidSale(): Promise<void> {
    if (!draft.value || (draft.value.lines.length === 0 && draft.value.coupons.length === 0)) return
    await run(() => api.sales.void())
    useCounterStore().say('info', 'sale.voided')
  }

  async function loadRecent(): Promise<void> {
    try {
      recent.value = await api.sales.recent()
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
    }
  }

  /** Late identification: the customer on screen showed their code after the sale was finished. */
  async function attach(saleId: string, memberId: string): Promise<void> {
    try {
      recent.value = await api.sales.attachMember(saleId, memberId)
      useCounterStore().say('info', 'sale.attached')
      await useCustomerStore().refresh()
    } catch (error) {
      useCounterStore().sayError(error)
    }
  }

  function reset(): void {
    draft.value = null
    recent.value = []
  }

  return { draft, recent, lastFinished, busy, load, addItem, setQty, addCoupon, removeCoupon, setReceipt, finish, voidSale, loadRecent, attach, reset }
})
