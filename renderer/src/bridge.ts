// The only place that touches `window.musubi` (installed by the preload, or by the E2E harness).
import { clientFor } from '../../shared/ipc/bridge.ts'
import type { AppEvents, MusubiWindowApi } from '../../shared/ipc/contract.ts'

declare global {
  interface Window {
    musubi: MusubiWindowApi
  }
}

export const api = clientFor(window.musubi.api)

export function onAppEvent<E extends keyof AppEvents>(event: E, listener: (payload: AppEvents[E]) => void): () => void {
  return window.musubi.on(event, listener)
}
