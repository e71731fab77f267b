import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { SyncStatus } from '../../../shared/views.ts'
import { api, onAppEvent } from '../bridge.ts'

/** Sync state as the node side reports it: pushed on every change, read once at start. */
export const useSyncStore = defineStore('sync', () => {
  const status = ref<SyncStatus | null>(null)
  let unsubscribe: (() => void) | null = null

  async function start(): Promise<void> {
    unsubscribe ??= onAppEvent('sync.status', (next) => {
      status.value = next
    })
    status.value = await api.sync.status()
  }

  async function syncNow(): Promise<void> {
    status.value = await api.sync.now()
  }

  function stop(): void {
    unsubscribe?.()
    unsubscribe = null
  }

  return { status, start, syncNow, stop }
})
