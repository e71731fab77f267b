// The register's one window, locked to our own page: no new windows, no navigation elsewhere,
// no webviews, and no permission but the camera.
import { BrowserWindow, session } from 'electron'
import { isOwnUrl, type RendererLocation } from './renderer-location.ts'

export type MainWindowOptions = { location: RendererLocation; preloadPath: string; iconPath: string }

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1366,
    height: 860,
    minWidth: 1024,
    minHeight: 700,
    title: 'Musubi',
    backgroundColor: '#f5f5f4',
    icon: options.iconPath,
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  })
  win.removeMenu()

  const ours = (url: string) => isOwnUrl(options.location, url)
  const contents = win.webContents
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  contents.on('will-frame-navigate', (event) => {
    if (!ours(event.url)) event.preventDefault()
  })
  contents.on('will-redirect', (event) => {
    if (!ours(event.url)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())

  if (options.location.kind === 'dev-server') void win.loadURL(options.location.url)
  else void win.loadFile(options.location.indexHtml)
  return win
}

/**
 * Denies every permission except the camera (`media`, video only) asked by our own page's main
 * frame. The check handler answers the synchronous queries (e.g. device labels in
 * enumerateDevices); the request handler answers getUserMedia.
 */
export function restrictPermissions(location: RendererLocation): void {
  const ses = session.defaultSession
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : []
    const cameraOnly = mediaTypes.length > 0 && mediaTypes.every((type) => type === 'video')
    callback(permission === 'media' && cameraOnly && details.isMainFrame && isOwnUrl(location, details.requestingUrl))
  })
  ses.setPermissionCheckHandler((_contents, permission, _origin, details) => {
    if (permission !== 'media' || details.mediaType === 'audio' || !details.isMainFrame) return false
    return details.requestingUrl !== undefined && isOwnUrl(location, details.requestingUrl)
  })
}
