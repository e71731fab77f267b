import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { AppError } from '../../shared/errors.ts'
import { connectorKey, demoConfig, loadConfig, parseConfig, type RegisterConfig } from '../../electron/services/config/config.ts'
import { machineConfigPath, resolveDataDir, userDataDir } from '../../electron/services/config/paths.ts'

const dirs: string[] = []
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'musubi-config-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** Writes `content` (a value to serialise, or raw text) to a fresh temp file and answers its path. */
function configFile(content: unknown): string {
  const file = join(tempDir(), 'config.json')
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content))
  return file
}

const minimal = { storeId: 'S001', deviceId: 'REG-01', connector: { kind: 'demo' } }

/** The AppError a call throws; fails the test when it throws something else or nothing. */
function thrown(fn: () => unknown): AppError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(AppError)
    return error as AppError
  }
  throw new Error('expected an AppError, nothing was thrown')
}

function parsed(value: unknown): RegisterConfig {
  return parseConfig(value, 'test.json').config
}

describe('loadConfig: where the file comes from', () => {
  it('runs the demo with source null when there is no file at the machine-wide place', () => {
    const machine = machineConfigPath('darwin', {})
    expect(machine).toBe('/Library/Application Support/Musubi/config.json')
    expect(existsSync(machine)).toBe(false)
    const loaded = loadConfig({ env: {}, platform: 'darwin' })
    expect(loaded).toEqual({ config: demoConfig(), source: null, warnings: [] })
    expect(loaded.config).toMatchObject({ storeId: 'S001', deviceId: 'REG-01', connector: { kind: 'demo' } })
  })

  it('reads the machine-wide file when it exists (win32: under %ProgramData%)', () => {
    const programData = tempDir()
    const env = { ProgramData: programData }
    const machine = machineConfigPath('win32', env)
    expect(machine).toBe(join(programData, 'Musubi', 'config.json'))
    expect(loadConfig({ env, platform: 'win32' }).source).toBeNull()

    mkdirSync(join(programData, 'Musubi'))
    writeFileSync(machine, JSON.stringify({ ...minimal, storeId: 'S007' }))
    const loaded = loadConfig({ env, platform: 'win32' })
    expect(loaded.source).toBe(machine)
    expect(loaded.config.storeId).toBe('S007')
  })

  it('refuses a --config file that does not exist, naming the path', () => {
    const missing = join(tempDir(), 'nope', 'config.json')
    const error = thrown(() => loadConfig({ configPath: missing, env: {}, platform: 'darwin' }))
    expect(error.code).toBe('config_invalid')
    expect(error.message).toContain(missing)
    expect(error.message).toMatch(/does not exist/)
  })

  it('refuses a MUSUBI_CONFIG file that does not exist too (a named file is never the demo)', () => {
    const missing = join(tempDir(), 'missing.json')
    const error = thrown(() => loadConfig({ env: { MUSUBI_CONFIG: missing }, platform: 'darwin' }))
    expect(error.code).toBe('config_invalid')
    expect(error.message).toContain(missing)
  })

  it('uses MUSUBI_CONFIG when no flag is given, and the flag over MUSUBI_CONFIG', () => {
    const fromEnv = configFile({ ...minimal, storeId: 'ENV' })
    const fromFlag = configFile({ ...minimal, storeId: 'FLAG' })
    const viaEnv = loadConfig({ env: { MUSUBI_CONFIG: fromEnv }, platform: 'darwin' })
    expect(viaEnv.source).toBe(fromEnv)
    expect(viaEnv.config.storeId).toBe('ENV')
    const viaFlag = loadConfig({ configPath: fromFlag, env: { MUSUBI_CONFIG: fromEnv }, platform: 'darwin' })
    expect(viaFlag.source).toBe(fromFlag)
    expect(viaFlag.config.storeId).toBe('FLAG')
  })

  it('says a file that is not JSON is not valid JSON, naming the path', () => {
    const file = configFile('{ "storeId": "S001", ')
    const error = thrown(() => loadConfig({ configPath: file, env: {} }))
    expect(error.code).toBe('config_invalid')
    expect(error.message).toContain(file)
    expect(error.message).toMatch(/not valid JSON/)
  })

  it('refuses JSON that is not an object', () => {
    for (const text of ['[]', 'null', '42', '"S001"']) {
      const error = thrown(() => loadConfig({ configPath: configFile(text), env: {} }))
      expect(error.code).toBe('config_invalid')
      expect(error.message).toMatch(/must be a JSON object/)
    }
  })
})

describe('parseConfig: bad values are refused naming the key', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['an empty storeId', { ...minimal, storeId: '' }, '"storeId"'],
    ['a missing deviceId', { storeId: 'S001', connector: { kind: 'demo' } }, '"deviceId"'],
    ['a missing connector', { storeId: 'S001', deviceId: 'REG-01' }, '"connector"'],
    ['an unknown connector kind', { ...minimal, connector: { kind: 'ftp' } }, 'connector.kind'],
    ['a member pattern that is not a regular expression', { ...minimal, memberCodes: { pattern: '(' } }, 'memberCodes.pattern'],
    ['a staff badge pattern that is not a regular expression', { ...minimal, staff: { badgePattern: '[' } }, 'staff.badgePattern'],
    ['an unknown time zone', { ...minimal, timeZone: 'Mars/Base' }, 'timeZone'],
    ['an unknown locale', { ...minimal, locale: 'fr' }, 'locale'],
    ['an http connector without token', { ...minimal, connector: { kind: 'http', endpoint: 'https://profile.example.com' } }, 'connector.token'],
    ['an http connector whose endpoint is not a URL', { ...minimal, connector: { kind: 'http', endpoint: 'profile', token: 't' } }, 'connector.endpoint'],
    ['a sync interval below 5 s', { ...minimal, sync: { intervalSeconds: 1 } }, 'sync.intervalSeconds'],
    ['a retention that is not an integer', { ...minimal, retentionDays: 1.5 }, 'retentionDays'],
  ]

  it.each(cases)('%s', (_name, value, key) => {
    const error = thrown(() => parseConfig(value, '/etc/musubi/config.json'))
    expect(error.code).toBe('config_invalid')
    expect(error.message).toContain(key)
    expect(error.message).toContain('/etc/musubi/config.json')
  })

  it('names the key when a bad value comes from a file through loadConfig', () => {
    const file = configFile({ ...minimal, timeZone: 'Mars/Base' })
    const error = thrown(() => loadConfig({ configPath: file, env: {} }))
    expect(error.message).toContain(file)
    expect(error.message).toContain('"timeZone"')
  })
})

describe('parseConfig: unknown keys are warnings', () => {
  it('warns about unknown keys at the top level and nested, and still loads', () => {
    const file = configFile({ ...minimal, sync: { intervalSeconds: 60, burst: 3 }, futureThing: 1 })
    const loaded = loadConfig({ configPath: file, env: {} })
    expect(loaded.source).toBe(file)
    expect(loaded.config.storeId).toBe('S001')
    expect(loaded.config.sync.intervalSeconds).toBe(60)
    expect(loaded.warnings).toHaveLength(2)
    expect(loaded.warnings.some((w) => w.includes('"futureThing"'))).toBe(true)
    expect(loaded.warnings.some((w) => w.includes('"sync.burst"'))).toBe(true)
    expect(loaded.warnings.every((w) => w.startsWith(`${file}:`))).toBe(true)
    // Unknown keys are dropped from the config the app sees.
    expect(loaded.config).not.toHaveProperty('futureThing')
    expect(loaded.config.sync).not.toHaveProperty('burst')
  })

  it('warns about unknown keys inside the connector, by its kind, and still loads', () => {
    const demo = parseConfig({ ...minimal, connector: { kind: 'demo', extra: 1 } }, 'x')
    expect(demo.warnings).toEqual(['x: unknown key "connector.extra" ignored'])
    expect(demo.config.connector).toEqual({ kind: 'demo' })
    const http = parseConfig({ ...minimal, connector: { kind: 'http', endpoint: 'https://p.example', token: 't', proxy: 'p' } }, 'x')
    expect(http.warnings).toEqual(['x: unknown key "connector.proxy" ignored'])
  })

  it('warns about nothing for a config of known keys only', () => {
    expect(parseConfig({ ...minimal, sync: { intervalSeconds: 30 }, scanner: { layout: 'jis' } }, 'x').warnings).toEqual([])
  })
})

describe('parseConfig: defaults', () => {
  it('fills every optional key', () => {
    const config = parsed(minimal)
    expect(config).toEqual({
      storeId: 'S001',
      deviceId: 'REG-01',
      locale: 'ja',
      timeZone: 'Asia/Tokyo',
      connector: { kind: 'demo' },
      memberCodes: { pattern: '^M[0-9]{7,15}$' },
      staff: { badgePattern: '^S[0-9]{4,8}$', lockAfterMinutes: 5 },
      scanner: { prefix: '', suffix: 'Enter', layout: 'us' },
      sync: { intervalSeconds: 60 },
      retentionDays: 180,
    })
  })

  it('fills the defaults inside a partly given section', () => {
    const config = parsed({ ...minimal, memberCodes: { jwks: { keys: [] } }, sync: {}, staff: { lockAfterMinutes: 10 } })
    expect(config.memberCodes).toEqual({ pattern: '^M[0-9]{7,15}$', jwks: { keys: [] } })
    expect(config.sync.intervalSeconds).toBe(60)
    expect(config.staff).toEqual({ badgePattern: '^S[0-9]{4,8}$', lockAfterMinutes: 10 })
  })

  it('keeps the values given', () => {
    const config = parsed({ ...minimal, locale: 'en', timeZone: 'Europe/Paris', retentionDays: 30, memberCodes: { pattern: '^C\\d{8}$' } })
    expect(config).toMatchObject({ locale: 'en', timeZone: 'Europe/Paris', retentionDays: 30, memberCodes: { pattern: '^C\\d{8}$' } })
  })
})

describe('connectorKey', () => {
  const http = (endpoint: string, storeId = 'S001'): RegisterConfig =>
    parsed({ storeId, deviceId: 'REG-01', connector: { kind: 'http', endpoint, token: 'secret' } })

  it('is the same for the same source, whatever the register or token', () => {
    const a = http('https://profile.example.com/api')
    const b = parsed({ storeId: 'S001', deviceId: 'REG-02', connector: { kind: 'http', endpoint: 'https://profile.example.com/api', token: 'other' } })
    expect(connectorKey(a)).toBe(connectorKey(b))
    expect(connectorKey(parsed(minimal))).toBe(connectorKey(parsed({ ...minimal, deviceId: 'REG-09' })))
  })

  it('differs for another store', () => {
    expect(connectorKey(http('https://profile.example.com', 'S002'))).not.toBe(connectorKey(http('https://profile.example.com', 'S001')))
    expect(connectorKey(parsed({ ...minimal, storeId: 'S002' }))).not.toBe(connectorKey(parsed(minimal)))
  })

  it('differs for another endpoint, ignoring a trailing slash', () => {
    expect(connectorKey(http('https://profile.example.com/api'))).not.toBe(connectorKey(http('https://other.example.com/api')))
    expect(connectorKey(http('https://profile.example.com/api/'))).toBe(connectorKey(http('https://profile.example.com/api')))
    expect(connectorKey(http('https://profile.example.com/api//'))).toBe(connectorKey(http('https://profile.example.com/api')))
  })

  it('differs between demo and http, and between demo feeds', () => {
    expect(connectorKey(parsed(minimal))).not.toBe(connectorKey(http('https://profile.example.com')))
    expect(connectorKey(parsed({ ...minimal, connector: { kind: 'demo', scale: 0.02 } }))).not.toBe(connectorKey(parsed(minimal)))
    expect(connectorKey(parsed({ ...minimal, connector: { kind: 'demo', seed: 7 } }))).not.toBe(connectorKey(parsed(minimal)))
  })
})

describe('data folder', () => {
  const home = '/home/tester'

  it('takes --data-dir over MUSUBI_DATA_DIR over the per-user folder', () => {
    const env = { MUSUBI_DATA_DIR: '/srv/musubi-env', XDG_CONFIG_HOME: '/xdg' }
    expect(resolveDataDir('/srv/musubi-flag', env, 'linux')).toBe('/srv/musubi-flag')
    expect(resolveDataDir(undefined, env, 'linux')).toBe('/srv/musubi-env')
    expect(resolveDataDir('', env, 'linux')).toBe('/srv/musubi-env')
    expect(resolveDataDir(undefined, { XDG_CONFIG_HOME: '/xdg' }, 'linux')).toBe(join('/xdg', 'Musubi'))
    expect(resolveDataDir(undefined, {}, 'linux')).toBe(join(homedir(), '.config', 'Musubi'))
    expect(resolveDataDir(undefined, {}, 'darwin')).toBe(userDataDir('darwin', {}))
  })

  it('is ~/.config/Musubi on Linux, or under XDG_CONFIG_HOME when set', () => {
    expect(userDataDir('linux', {}, home)).toBe(join(home, '.config', 'Musubi'))
    expect(userDataDir('linux', { XDG_CONFIG_HOME: '' }, home)).toBe(join(home, '.config', 'Musubi'))
    expect(userDataDir('linux', { XDG_CONFIG_HOME: '/xdg/config' }, home)).toBe(join('/xdg/config', 'Musubi'))
  })

  it('is ~/Library/Application Support/Musubi on macOS', () => {
    expect(userDataDir('darwin', { XDG_CONFIG_HOME: '/xdg' }, home)).toBe(join(home, 'Library', 'Application Support', 'Musubi'))
  })

  it('is %APPDATA%\\Musubi on Windows', () => {
    const appData = 'C:\\Users\\tester\\AppData\\Roaming'
    expect(userDataDir('win32', { APPDATA: appData }, home)).toBe(join(appData, 'Musubi'))
    expect(userDataDir('win32', {}, home)).toBe(join(home, 'AppData', 'Roaming', 'Musubi'))
  })
})
