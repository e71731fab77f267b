// The one test in real Electron: the built app starts, shows the counter, and the page sees the
// contract (window.musubi) but no Node. It needs an Electron binary, which only exists where it
// could be downloaded (or ELECTRON_OVERRIDE_DIST_PATH points at an unpacked dist); elsewhere it
// skips and says why. On a Linux box without a display run it under `xvfb-run -a`.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { _electron as electron } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')

type Found = { binary: string } | { binary: null; reason: string }

/**
 * The executable `require('electron')` would answer, found without requiring it: the package's
 * index.js starts a download when the binary is missing, and this must never reach the network.
 */
function findElectronBinary(): Found {
  let packageDir: string
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
  } catch {
    return { binary: null, reason: 'the electron package is not installed' }
  }
  const pathFile = join(packageDir, 'path.txt')
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined
  const overrideDist = process.env['ELECTRON_OVERRIDE_DIST_PATH']
  if (overrideDist) {
    const binary = join(overrideDist, relative ?? 'electron')
    return existsSync(binary) ? { binary } : { binary: null, reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${binary} does not exist` }
  }
  if (relative === undefined) {
    return { binary: null, reason: 'node_modules/electron/path.txt is missing (the binary was never downloaded) and ELECTRON_OVERRIDE_DIST_PATH is unset' }
  }
  const binary = join(packageDir, 'dist', relative)
  return existsSync(binary) ? { binary } : { binary: null, reason: `${binary} does not exist and ELECTRON_OVERRIDE_DIST_PATH is unset` }
}

const found = findElectronBinary()

describe('real Electron', () => {
  if (found.binary === null) console.log(`skipped: real-Electron test: no Electron binary here (${found.reason})`)

  let dataDir = ''
  beforeAll(async () => {
    if (found.binary === null) return
    dataDir = mkdtempSync(join(tmpdir(), 'musubi-electron-'))
    if (!existsSync(join(root, 'out/main/index.js'))) {
      const { build } = await import('electron-vite')
      await build({ root })
    }
  })
  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  })

  it.skipIf(found.binary === null)('starts, shows the counter, exposes the contract and no Node', async () => {
    // The demo connector: no machine-wide or inherited config may steer this run.
    const env: Record<string, string> = {}
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined && key !== 'MUSUBI_CONFIG' && key !== 'MUSUBI_DATA_DIR' && key !== 'ELECTRON_RENDERER_URL') env[key] = value
    }
    const app = await electron.launch({
      executablePath: found.binary ?? undefined,
      args: ['out/main/index.js', '--data-dir', dataDir],
      cwd: root,
      env,
    })
    try {
      const page = await app.firstWindow()
      await page.locator('[data-testid="counter"]').waitFor({ state: 'visible', timeout: 30_000 })

      const seen = await page.evaluate(async () => {
        const scope = globalThis as unknown as { require?: unknown; process?: unknown; musubi?: { api: { app: { info(): Promise<{ ok: boolean }> } } } }
        return {
          musubi: typeof scope.musubi,
          require: typeof scope.require,
          process: typeof scope.process,
          info: scope.musubi ? await scope.musubi.api.app.info() : null,
        }
      })
      expect(seen.musubi).toBe('object')
      expect(seen.require).toBe('undefined')
      expect(seen.process).toBe('undefined')
      // A real call through preload → ipcMain → services: better-sqlite3 loaded inside Electron.
      expect(seen.info?.ok).toBe(true)
    } finally {
      await app.close()
    }
  })
})
