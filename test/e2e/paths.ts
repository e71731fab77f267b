import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const RENDERER_DIR = join(ROOT, 'out', 'renderer')
export const PAGE_BRIDGE_FILE = join(ROOT, 'out', 'e2e', 'page-bridge.js')
export const ARTIFACTS_DIR = join(ROOT, 'test', 'artifacts')
export const CHROMIUM = process.env['MUSUBI_CHROMIUM'] ?? '/usr/bin/chromium'
