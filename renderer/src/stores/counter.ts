import { defineStore } from 'pinia'
import { nextTick, ref } from 'vue'
import type { Message, ScanOutcome } from '../../../shared/views.ts'
import { ApiError } from '../../../shared/ipc/bridge.ts'
import { api } from '../bridge.ts'
import { useCustomerStore } from './customer.ts'
import { useSaleStore } from './sale.ts'
import { useStaffStore } from './staff.ts'
import { playScanSound } from '../scan/feedback.ts'

export type ReadSource = 'wedge' | 'hid' | 'camera' | 'typed'
/** One read, as the scanner test shows it: what came in and what it turned out to be. */
export type Read = { at: number; source: ReadSource; text: string; outcome: ScanOutcome['kind'] | 'failed' | 'suffix_lost' }
const RECENT_READS = 8

export type Notice = {
  tone: 'info' | 'warn' | 'error'
  key: string
  params: Record<string, string | number>
  /** A second sentence from the services (a coupon's why-not, ...). */
  detail: Message | null
  at: number
}
type ScanState = 'idle' | 'reading' | 'done' | 'error'

/** Performance marks: `musubi:scan-to-card` measures from the scanner's suffix key to the card in the DOM. */
export const SCAN_MARK = 'musubi:scan'
export const SCAN_TO_CARD = 'musubi:scan-to-card'

/** What a scan did at the counter, and the notice the associate reads. */
export const useCounterStore = defineStore('counter', () => {
  const scanState = ref<ScanState>('idle')
  const notice = ref<Notice | null>(null)
  const lastOutcome = ref<ScanOutcome | null>(null)
  const recentReads = ref<Read[]>([])
  /** The camera panel is open (its stream runs only while it is). */
  const cameraOpen = ref(false)

  function remember(read: Read): void {
    recentReads.value = [read, ...recentReads.value].slice(0, RECENT_READS)
  }

  function say(tone: Notice['tone'], key: string, params: Notice['params'] = {}, detail: Message | null = null): void {
    notice.value = { tone, key, params, detail, at: Date.now() }
  }

  /** A refused call, in the UI's words (the code picks the sentence; the service's message follows for IT). */
  function sayError(error: unknown): void {
    if (error instanceof ApiError) {
      if (error.code === 'sign_in_required') void useStaffStore().refresh()
      say(error.code === 'internal' ? 'error' : 'warn', `errors.${error.code}`, { message: error.message })
    } else say('error', 'scan.failed', { message: String(error) })
  }

  function dismissNotice(): void {
    notice.value = null
  }

  /** A scan acts at once (no "are you sure"); whatever it replaced stays one tap away. */
  async function handleScan(text: string, source: ReadSource = 'wedge'): Promise<void> {
    performance.clearMarks(SCAN_MARK)
    performance.mark(SCAN_MARK)
    scanState.value = 'reading'
    const customers = useCustomerStore()
    try {
      const outcome = await api.scan.resolve(text)
      lastOutcome.value = outcome
      remember({ at: Date.now(), source, text, outcome: outcome.kind })
      switch (outcome.kind) {
        case 'member':
          customers.show(outcome.card)
          customers.clearSearch()
          notice.value = null
          await nextTick()
          performance.measure(SCAN_TO_CARD, SCAN_MARK)
          // The sale now belongs to this customer (the services attached it with the card).
          void useSaleStore().load()
          break
        case 'member_unknown':
          say('warn', outcome.reason === 'not_in_cache' ? 'scan.memberNotInCache' : outcome.reason === 'not_found' ? 'scan.memberNotFound' : 'scan.memberUnreachable', { id: outcome.memberId })
          break
        case 'product':
          if (outcome.sku !== null && outcome.name !== null && outcome.priceYen !== null) {
            if (await useSaleStore().addItem(outcome.sku)) say('info', 'scan.productAdded', { name: outcome.name, price: outcome.priceYen })
          } else say('warn', 'scan.productUnknown', { code: outcome.code })
          break
        case 'coupon': {
          // Through the same engine as the card's coupons: a refusal says why.
          const next = await useSaleStore().addCoupon(outcome.code)
          if (next?.coupons.find((c) => c.code === outcome.code)?.applied) say('info', 'scan.coupon', { title: outcome.title })
          break
        }
        case 'member_refused':
          say('warn', `scan.appQr.${outcome.reason}`)
          break
        case 'staff': {
          const staff = useStaffStore()
          if (!staff.signedIn) staff.badgeScanned(outcome.staffId)
          else if (!outcome.known) say('warn', 'scan.staffUnknown', { id: outcome.staffId })
          else if (staff.session?.staff?.staffId === outcome.staffId) say('info', 'scan.staffSame', { id: outcome.staffId })
          else {
            // Another associate takes over the register: it locks, and their PIN is next.
            staff.badgeScanned(outcome.staffId)
            say('info', 'scan.staff', { id: outcome.staffId })
          }
          break
        }
        case 'sign_in_required':
          say('warn', 'scan.signInFirst')
          void useStaffStore().refresh()
          break
        case 'partial':
          say('warn', `scan.partial.${outcome.reason}`)
          break
        case 'unknown':
          say('error', 'scan.unknownCode', { code: outcome.text })
          break
        default:
          outcome satisfies never
      }
      const ok =
        outcome.kind === 'member' || (outcome.kind === 'product' && outcome.sku !== null) || outcome.kind === 'coupon' || outcome.kind === 'staff'
      scanState.value = ok ? 'done' : 'error'
      playScanSound(ok)
    } catch (error) {
      remember({ at: Date.now(), source, text, outcome: 'failed' })
      scanState.value = 'error'
      say('error', 'scan.failed', { message: error instanceof ApiError ? error.message : String(error) })
      playScanSound(false)
    }
  }

  /** A scanner-fast burst that never got its suffix: nothing is looked up, the associate rescans. */
  function suffixLost(source: ReadSource = 'wedge'): void {
    remember({ at: Date.now(), source, text: '', outcome: 'suffix_lost' })
    scanState.value = 'error'
    say('warn', 'scan.partial.suffix_lost')
    playScanSound(false)
  }

  return { scanState, notice, lastOutcome, recentReads, cameraOpen, handleScan, suffixLost, say, sayError, dismissNotice }
})
