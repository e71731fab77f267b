// The sandboxed preload: `window.musubi` is the contract and nothing else. ipcRenderer stays
// here; the page gets one function per contract method and an event subscription.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { buildExposedApi } from '../../shared/ipc/bridge.ts'
import { appEventNames, EVENT_CHANNEL, type AppEvents, type MusubiWindowApi, type Unsubscribe } from '../../shared/ipc/contract.ts'

function on<E extends keyof AppEvents>(event: E, listener: (payload: AppEvents[E]) => void): Unsubscribe {
  if (!appEventNames.includes(event)) throw new TypeError(`musubi.on: unknown event ${String(event)}`)
  // The IpcRendererEvent stays in the preload: it carries `sender`, which is ipcRenderer.
  const forward = (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
    if (name === event) listener(payload as AppEvents[E])
  }
  ipcRenderer.on(EVENT_CHANNEL, forward)
  return () => {
    ipcRenderer.removeListener(EVENT_CHANNEL, forward)
  }
}

const musubi: MusubiWindowApi = {
  api: buildExposedApi((channel, args) => ipcRenderer.invoke(channel, ...args)),
  on,
}

contextBridge.exposeInMainWorld('musubi', musubi)
