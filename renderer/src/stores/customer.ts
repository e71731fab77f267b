import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { CustomerCard, CustomerHit } from '../../../shared/views.ts'
import { api } from '../bridge.ts'

type SearchState = 'idle' | 'loading' | 'done' | 'error'

/** How long the box waits after the last keystroke before it searches. */
const TYPING_PAUSE_MS = 40

/** The customer in front of the register, the one before them, and the search box. */
export const useCustomerStore = defineStore('customer', () => {
  const card = shallowRef<CustomerCard | null>(null)
  const previous = shallowRef<CustomerCard | null>(null)
  const query = ref('')
  const hits = shallowRef<CustomerHit[]>([])
  const searchState = ref<SearchState>('idle')
  let searchSeq = 0
  let searchTimer: ReturnType<typeof setTimeout> | null = null

  const memberId = computed(() => card.value?.customer.memberId ?? null)

  /** Shows `next`; the customer shown before stays one tap away. */
  function show(next: CustomerCard): void {
    if (card.value && card.value.customer.memberId !== next.customer.memberId) previous.value = card.value
    card.value = next
  }

  async function open(id: string): Promise<void> {
    show(await api.customers.card(id))
    clearSearch()
  }

  /** Reloads the card on screen (after a sync brought changes); a failure keeps what is shown. */
  async function refresh(): Promise<void> {
    const id = card.value?.customer.memberId
    if (!id) return
    try {
      const next = await api.customers.card(id)
      if (card.value?.customer.memberId === id) card.value = next
    } catch {
      // Gone from the cache meanwhile (or the call failed): the associate keeps what they see.
    }
  }

  /** "Not interested": hidden for this customer for 30 days; the card comes back without it. */
  async function dismissSuggestion(memberId: string, sku: string): Promise<void> {
    const next = await api.suggestions.dismiss(memberId, sku)
    if (card.value?.customer.memberId === memberId) card.value = next
  }

  function clear(): void {
    if (card.value) previous.value = card.value
    card.value = null
  }

  function restorePrevious(): void {
    if (!previous.value) return
    const current = card.value
    card.value = previous.value
    previous.value = current
    // What changed meanwhile (the sale just finished) shows at once.
    void refresh()
  }

  /**
   * What the box holds as the associate types. The search waits for a short pause: a scanner's
   * burst lands in the box too before it is recognised, and must not search on every character.
   */
  function type(text: string): void {
    query.value = text
    cancelPendingSearch()
    searchTimer = setTimeout(() => {
      searchTimer = null
      void search(text)
    }, TYPING_PAUSE_MS)
  }

  function cancelPendingSearch(): void {
    if (searchTimer) clearTimeout(searchTimer)
    searchTimer = null
  }

  /** Searches now; answers that arrive after a newer query are dropped. */
  async function search(text: string): Promise<void> {
    cancelPendingSearch()
    query.value = text
    const seq = ++searchSeq
    if (text.trim() === '') {
      hits.value = []
      searchState.value = 'idle'
      return
    }
    searchState.value = 'loading'
    try {
      const found = await api.customers.search(text)
      if (seq !== searchSeq) return
      hits.value = found
      searchState.value = 'done'
    } catch {
      if (seq !== searchSeq) return
      hits.value = []
      searchState.value = 'error'
    }
  }

  /** Also cancels a search still waiting for a pause, which would bring the text back. */
  function clearSearch(): void {
    cancelPendingSearch()
    searchSeq++
    query.value = ''
    hits.value = []
    searchState.value = 'idle'
  }

  return { card, previous, memberId, query, hits, searchState, show, open, refresh, dismissSuggestion, clear, restorePrevious, type, search, clearSearch }
})
