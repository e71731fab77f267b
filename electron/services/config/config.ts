// The register configuration file (profile-api.md "Register configuration"), shared by the app
// and the CLI. Bad values of known keys are refused naming the key; unknown keys are warnings
// (a newer config must not stop an older register); no file at all means the demo.
import { existsSync, readFileSync } from 'node:fs'
import { z } from 'zod'
import { AppError } from '../../../shared/errors.ts'
import { endpointProblem } from '../sync/http/client.ts'
import { machineConfigPath, type Env } from './paths.ts'

const regexSource = z.string().refine((source) => {
  try {
    new RegExp(source)
    return true
  } catch {
    return false
  }
}, 'not a valid regular expression')

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
    return true
  } catch {
    return false
  }
}, 'not a known IANA time zone')

const demoConnector = z.object({
  kind: z.literal('demo'),
  /** Generated retailer's seed and size (1 = 50,000 members); for tests and trials. */
  seed: z.number().int().optional(),
  scale: z.number().positive().max(20).optional(),
})
const httpConnector = z.object({
  kind: z.literal('http'),
  endpoint: z.url().superRefine((endpoint, ctx) => {
    const problem = endpointProblem(endpoint)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  }),
  token: z.string().min(1),
})

export const configSchema = z.object({
  storeId: z.string().min(1).max(64),
  deviceId: z.string().min(1).max(64),
  locale: z.enum(['ja', 'en']).default('ja'),
  timeZone: timeZone.default('Asia/Tokyo'),
  connector: z.discriminatedUnion('kind', [demoConnector, httpConnector]),
  memberCodes: z
    .object({
      pattern: regexSource.default('^M[0-9]{7,15}$'),
      jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).optional(),
    })
    .default({ pattern: '^M[0-9]{7,15}$' }),
  staff: z
    .object({
      badgePattern: regexSource.default('^S[0-9]{4,8}$'),
      lockAfterMinutes: z.number().int().positive().max(24 * 60).default(5),
    })
    .default({ badgePattern: '^S[0-9]{4,8}$', lockAfterMinutes: 5 }),
  scanner: z
    .object({
      prefix: z.string().max(8).default(''),
      suffix: z.enum(['Enter', 'Tab']).default('Enter'),
      layout: z.enum(['us', 'jis']).default('us'),
    })
    .default({ prefix: '', suffix: 'Enter', layout: 'us' }),
  sync: z
    .object({ intervalSeconds: z.number().int().min(5).max(24 * 3600).default(60) })
    .default({ intervalSeconds: 60 }),
  retentionDays: z.number().int().min(1).max(3650).default(180),
})

export type RegisterConfig = z.infer<typeof configSchema>

export type LoadedConfig = {
  config: RegisterConfig
  /** The file read, or null when none exists and the demo runs. */
  source: string | null
  warnings: string[]
}

/** The configuration used when no file exists: the demo retailer's first store. */
export function demoConfig(): RegisterConfig {
  return configSchema.parse({ storeId: 'S001', deviceId: 'REG-01', connector: { kind: 'demo' } })
}

/** Validates a parsed config value; throws AppError('config_invalid') naming the first bad key. */
export function parseConfig(value: unknown, source: string): LoadedConfig {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new AppError('config_invalid', `${source}: the config must be a JSON object`)
  }
  const parsed = configSchema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const key = issue.path.join('.') || '(top level)'
    throw new AppError('config_invalid', `${source}: "${key}": ${issue.message}`)
  }
  return { config: parsed.data, source, warnings: unknownKeys(value as Record<string, unknown>, configSchema.shape).map((k) => `${source}: unknown key "${k}" ignored`) }
}

function unknownKeys(value: Record<string, unknown>, shape: Record<string, unknown>, prefix = ''): string[] {
  const out: string[] = []
  for (const key of Object.keys(value)) {
    if (!Object.hasOwn(shape, key)) out.push(prefix + key)
    else {
      const child = value[key]
      const inner = innerShape(shape[key], child)
      if (inner && child && typeof child === 'object' && !Array.isArray(child)) out.push(...unknownKeys(child as Record<string, unknown>, inner, `${prefix}${key}.`))
    }
  }
  return out
}

/** The object shape a value is checked against (a union's member is chosen by the value's `kind`). */
function innerShape(schema: unknown, value: unknown): Record<string, unknown> | null {
  type Node = { shape?: Record<string, unknown>; def?: { innerType?: unknown; type?: string; options?: Node[] } }
  let s = schema as Node
  for (let i = 0; i < 4 && s; i++) {
    if (s.def?.type === 'object' && s.shape) return s.shape
    if (s.def?.type === 'union' && s.def.options) {
      const kind = (value as { kind?: unknown } | null)?.kind
      const option = s.def.options.find((o) => (o.shape?.['kind'] as { def?: { values?: unknown[] } } | undefined)?.def?.values?.includes(kind))
      return option?.shape ?? null
    }
    const next = s.def?.innerType
    if (!next) return null
    s = next as typeof s
  }
  return null
}

/**
 * `--config FILE`, else MUSUBI_CONFIG, else the machine-wide place. A named file that does not
 * exist is an error; no file at the machine-wide place means the demo.
 */
export function loadConfig(options: { configPath?: string | undefined; env: Env; platform?: NodeJS.Platform }): LoadedConfig {
  const named = options.configPath || options.env['MUSUBI_CONFIG']
  const path = named || machineConfigPath(options.platform ?? process.platform, options.env)
  if (!existsSync(path)) {
    if (named) throw new AppError('config_invalid', `${path}: the config file does not exist`)
    return { config: demoConfig(), source: null, warnings: [] }
  }
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new AppError('config_invalid', `${path}: cannot read the config file (${(error as Error).message})`)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new AppError('config_invalid', `${path}: not valid JSON (${(error as Error).message})`)
  }
  return parseConfig(value, path)
}

/** Identifies the source the cache is built from: a change of any part starts a fresh cache. */
export function connectorKey(config: RegisterConfig): string {
  const c = config.connector
  return c.kind === 'demo' ? `demo|seed=${c.seed ?? 'default'}|scale=${c.scale ?? 1}|${config.storeId}` : `http|${c.endpoint.replace(/\/+$/, '')}|${config.storeId}`
}
