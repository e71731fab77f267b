// One ipcMain handler per contract method. The renderer is untrusted input: each call first
// proves it comes from our window's main frame showing our own page, then dispatchApiCall
// validates the arguments and answers a result value.
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron'
import { apiMethods, type ApiImpl, type ApiResult } from '../../shared/ipc/contract.ts'
import { dispatchApiCall } from '../../shared/ipc/dispatch.ts'

const untrustedSender: ApiResult<never> = { ok: false, error: { code: 'invalid_input', message: 'untrusted sender' } }

/** Registers the handlers; answers a function that removes them. */
export function registerApi(ipcMain: IpcMain, impl: ApiImpl, win: BrowserWindow, isOwnUrl: (url: string) => boolean): () => void {
  const channels: string[] = []
  for (const { group, method, channel } of apiMethods()) {
    ipcMain.handle(channel, (event, ...args: unknown[]) => {
      if (!isTrustedSender(event, win, isOwnUrl)) return untrustedSender
      return dispatchApiCall(impl, group, method, args)
    })
    channels.push(channel)
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel)
  }
}

export function isTrustedSender(event: IpcMainInvokeEvent, win: BrowserWindow, isOwnUrl: (url: string) => boolean): boolean {
  if (win.isDestroyed() || event.sender !== win.webContents) return false
  try {
    const frame = event.senderFrame
    const main = win.webContents.mainFrame
    if (!frame || frame.parent !== null) return false
    if (frame.processId !== main.processId || frame.routingId !== main.routingId) return false
    return isOwnUrl(frame.url)
  } catch {
    // A frame disposed mid-call throws on access: not a sender we can vouch for.
    return false
  }
}
