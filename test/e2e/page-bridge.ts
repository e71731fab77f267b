/// <reference lib="dom" />
// Installed into the page by the harness before the renderer loads: the same `window.musubi`
// the preload builds, forwarding each call to the harness's exposed binding and receiving
// events pushed with `__musubiEmit`.
import { buildExposedApi } from '../../shared/ipc/bridge.ts'
import type { ApiResult, AppEvents, MusubiWindowApi } from '../../shared/ipc/contract.ts'

type Listener = (payload: unknown) => void
const w = window as unknown as {
  musubi: MusubiWindowApi
  __musubiInvoke: (channel: string, args: unknown[]) => Promise<ApiResult<unknown>>
  __musubiEmit: (event: string, payload: unknown) => void
}
const listeners = new Map<string, Set<Listener>>()

w.__musubiEmit = (event, payload) => {
  for (const listener of listeners.get(event) ?? []) listener(payload)
}

w.musubi = Object.freeze({
  api: buildExposedApi((channel, args) => w.__musubiInvoke(channel, args)),
  on<E extends keyof AppEvents>(event: E, listener: (payload: AppEvents[E]) => void) {
    let set = listeners.get(event)
    if (!set) listeners.set(event, (set = new Set()))
    set.add(listener as Listener)
    return () => set.delete(listener as Listener)
  },
})
