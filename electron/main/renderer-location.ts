// Where the renderer comes from, and whether a URL is ours: the built index.html over file://,
// or (unpackaged only) electron-vite's dev server. Used for loading, for the IPC sender check
// and for refusing navigation.
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export type RendererLocation = { kind: 'file'; indexHtml: string } | { kind: 'dev-server'; url: string }

export function rendererLocation(options: { packaged: boolean; devServerUrl: string | undefined; mainDir: string }): RendererLocation {
  // A packaged app never follows ELECTRON_RENDERER_URL: the environment must not choose the page.
  if (!options.packaged && options.devServerUrl) return { kind: 'dev-server', url: options.devServerUrl }
  return { kind: 'file', indexHtml: resolve(options.mainDir, '../renderer/index.html') }
}

export function isOwnUrl(location: RendererLocation, url: string): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (location.kind === 'dev-server') return parsed.origin === new URL(location.url).origin
  if (parsed.protocol !== 'file:') return false
  let path: string
  try {
    path = fileURLToPath(parsed)
  } catch {
    return false
  }
  return samePath(resolve(path), location.indexHtml)
}

function samePath(a: string, b: string): boolean {
  return process.platform === 'win32' || process.platform === 'darwin' ? a.toLowerCase() === b.toLowerCase() : a === b
}
