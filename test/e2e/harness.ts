// The E2E harness: the real renderer (built by electron-vite) in Debian's Chromium, with the real
// services behind the same contract the preload exposes. Nothing of the app is mocked: calls
// go through `dispatchApiCall`, exactly as electron/main's handlers do.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { extname, join, normalize } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { appEventNames } from '../../shared/ipc/contract.ts'
import { dispatchApiCall } from '../../shared/ipc/dispatch.ts'
import { openMusubi, type Musubi } from '../../electron/services/musubi.ts'
import { CHROMIUM, PAGE_BRIDGE_FILE, RENDERER_DIR } from './paths.ts'
import { signInForTests } from '../support/staff.ts'

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

export type StartOptions = {
  /** Demo retailer size (1 = 50,000 members); small by default so each test syncs in about a second. */
  scale?: number
  /** Extra config keys (storeId, locale, ...); the connector is the demo unless given. */
  config?: Record<string, unknown>
  /** Sync the cache before the page opens (default); false shows the first-sync screen. */
  synced?: boolean
  viewport?: { width: number; height: number }
  extraArgs?: string[]
  /** Browser permissions granted to the page (e.g. 'camera' for the fake webcam). */
  permissions?: string[]
  /** Who is signed in when the page opens: an associate (default), a manager, nobody ('locked'), or no staff at all yet ('fresh'). */
  staff?: 'associate' | 'manager' | 'locked' | 'fresh'
}

export type RunningApp = {
  page: Page
  musubi: Musubi
  dataDir: string
  /** Browser console errors and page errors seen so far (a test can assert there were none). */
  pageErrors: string[]
  close(): Promise<void>
}

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.wasm': 'application/wasm' }

function serveRenderer(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '')
    const file = join(RENDERER_DIR, path === '/' ? 'index.html' : path)
    try {
      const body = readFileSync(file)
      res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' })
      res.end(body)
    } catch {
      res.writeHead(404).end()
    }
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` })))
}

/** Starts the app for one test and answers its page, with the counter loaded. */
export async function startApp(options: StartOptions = {}): Promise<RunningApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'musubi-e2e-'))
  const configPath = join(dataDir, 'config.json')
  writeFileSync(
    configPath,
    JSON.stringify({ storeId: 'S001', deviceId: 'REG-01', connector: { kind: 'demo', scale: options.scale ?? 0.02 }, ...options.config }),
  )
  const musubi = openMusubi({ configPath, dataDir, env: {} })
  if (options.synced ?? true) await musubi.sync.runRound()
  // The counter's usual state: an associate signed in. 'locked': staff exist, nobody is signed in;
  // 'fresh': a register with no staff yet (first run).
  const staff = options.staff ?? 'associate'
  if (staff !== 'fresh') signInForTests(musubi.api, staff === 'manager' ? 'manager' : 'associate')
  if (staff === 'locked') await musubi.api.staff.lock()

  const { server, url } = await serveRenderer()
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])] })
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1366, height: 860 },
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    permissions: options.permissions ?? [],
  })
  const page = await context.newPage()
  const pageErrors: string[] = []
  page.on('pageerror', (error) => pageErrors.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text())
  })

  // Like electron/main's sender check: only the top frame of our own page may call.
  await page.exposeBinding('__musubiInvoke', async (source, channel: string, args: unknown[]) => {
    if (source.frame !== page.mainFrame() || !source.frame.url().startsWith(url)) {
      return { ok: false, error: { code: 'invalid_input', message: 'untrusted sender' } }
    }
    const [group, method] = channel.replace(/^app:/, '').split('.')
    return dispatchApiCall(musubi.api, group ?? '', method ?? '', args)
  })
  await page.addInitScript({ content: readFileSync(PAGE_BRIDGE_FILE, 'utf8') })
  const unsubscribes = appEventNames.map((name) =>
    musubi.on(name, (payload) => {
      page.evaluate(([n, p]) => (globalThis as unknown as { __musubiEmit?: (n: string, p: unknown) => void }).__musubiEmit?.(n, p), [name, payload] as const).catch(() => undefined)
    }),
  )

  await page.goto(url)
  await page.getByTestId(staff === 'associate' || staff === 'manager' ? 'counter' : 'sign-in').waitFor()
  // As electron/main does once the window is ready.
  musubi.startBackgroundSync()
  musubi.startScanners()

  return {
    page,
    musubi,
    dataDir,
    pageErrors,
    async close() {
      for (const unsubscribe of unsubscribes) unsubscribe()
      await browser.close()
      server.close()
      await musubi.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/**
 * Types `text` the way a keyboard-wedge scanner does: a burst of keys (physical code, key and
 * Shift, as a US-layout scanner sends them), then Enter. The burst is dispatched inside the page
 * in one go, so a busy test machine cannot stretch it into a person's typing speed.
 */
export async function wedgeScan(page: Page, text: string): Promise<void> {
  await page.evaluate((chars) => {
    const codeOf = (c: string): [string, boolean] => {
      if (/[a-z]/.test(c)) return [`Key${c.toUpperCase()}`, false]
      if (/[A-Z]/.test(c)) return [`Key${c}`, true]
      if (/[0-9]/.test(c)) return [`Digit${c}`, false]
      const us: Record<string, [string, boolean]> = { '-': ['Minus', false], _: ['Minus', true], '.': ['Period', false], '/': ['Slash', false], ':': ['Semicolon', true], ' ': ['Space', false] }
      return us[c] ?? ['', false]
    }
    const target = document.activeElement ?? document.body
    for (const c of chars) {
      const [code, shiftKey] = codeOf(c)
      target.dispatchEvent(new KeyboardEvent('keydown', { key: c, code, shiftKey, bubbles: true, cancelable: true }))
    }
    target.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true, cancelable: true }))
  }, [...text])
}
