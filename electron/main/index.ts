// The Electron main process: opens the services, shows the one window, wires the contract and
// the events to it. No business logic lives here.
import { join } from 'node:path'
import { app, BrowserWindow, dialog, ipcMain, Menu } from 'electron'
import { AppError, type ErrorCode } from '../../shared/errors.ts'
import { appEventNames, EVENT_CHANNEL } from '../../shared/ipc/contract.ts'
import { openMusubi, type Musubi } from '../services/musubi.ts'
import iconPath from '../../resources/icon.png?asset'
import { parseLaunchArgs } from './launch-args.ts'
import { registerApi } from './register-api.ts'
import { isOwnUrl, rendererLocation } from './renderer-location.ts'
import { watchWedgeScans } from './wedge.ts'
import { createMainWindow, restrictPermissions } from './window.ts'

// Shown before any window or i18n exists: a Japanese line, then the service's English message.
const startupFailedJa: Partial<Record<ErrorCode, string>> = {
  config_invalid: 'Musubi を起動できません。設定ファイルを確認してください。',
  db_too_new: 'Musubi を起動できません。このレジのデータは新しい版の Musubi で作られています。Musubi を更新してください。',
  sqlite_too_old: 'Musubi を起動できません。SQLite が古すぎます。Musubi を入れ直してください。',
}

function showStartupError(error: unknown): void {
  const ja = (error instanceof AppError && startupFailedJa[error.code]) || 'Musubi を起動できません。'
  const message = error instanceof AppError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)
  dialog.showErrorBox('Musubi', `${ja}\n\n${message}`)
}

let mainWindow: BrowserWindow | null = null

function start(): void {
  let musubi: Musubi
  try {
    musubi = openMusubi({ ...parseLaunchArgs(process.argv), wedgeIn: 'main' })
  } catch (error) {
    showStartupError(error)
    app.exit(1)
    return
  }

  const location = rendererLocation({
    packaged: app.isPackaged,
    devServerUrl: process.env['ELECTRON_RENDERER_URL'],
    mainDir: import.meta.dirname,
  })
  restrictPermissions(location)
  const win = createMainWindow({ location, preloadPath: join(import.meta.dirname, '../preload/index.cjs'), iconPath })
  mainWindow = win

  const unregisterApi = registerApi(ipcMain, musubi.api, win, (url) => isOwnUrl(location, url))
  const unsubscribes = appEventNames.map((name) =>
    musubi.on(name, (payload) => {
      if (!win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, name, payload)
    }),
  )

  const scanner = musubi.loaded.config.scanner
  const stopWedge = watchWedgeScans(win.webContents, scanner, (scan) => musubi.emitScan(scan))
  musubi.startScanners()

  win.once('ready-to-show', () => {
    win.show()
    musubi.startBackgroundSync()
  })
  win.on('closed', () => {
    mainWindow = null
  })

  // close() may be async (the sync round in flight finishes first): hold the quit until it has.
  let state: 'open' | 'closing' | 'closed' = 'open'
  app.on('will-quit', (event) => {
    if (state === 'closed') return
    event.preventDefault()
    if (state === 'closing') return
    state = 'closing'
    for (const unsubscribe of unsubscribes) unsubscribe()
    if (!win.isDestroyed()) stopWedge()
    unregisterApi()
    Promise.resolve()
      .then(() => musubi.close())
      .catch((error: unknown) => console.error('musubi.close failed', error))
      .finally(() => {
        state = 'closed'
        app.quit()
      })
  })
}

function fail(error: unknown): void {
  showStartupError(error)
  app.exit(1)
}

// A register runs one Musubi: a second launch brings the first window forward instead.
if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.enableSandbox()
  if (process.platform === 'win32') app.setAppUserModelId('jp.musubi.register')
  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.show()
    mainWindow.focus()
  })
  app.on('window-all-closed', () => app.quit())
  app
    .whenReady()
    .then(() => {
      // No menu bar on Windows and Linux; macOS keeps its default app menu (Quit, Edit shortcuts).
      if (process.platform !== 'darwin') Menu.setApplicationMenu(null)
      start()
    })
    .catch(fail)
}
