// The layering rule must keep working: lint a wrong import as if it lived in each folder.
import { resolve } from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const eslint = new ESLint({ cwd: root, overrideConfigFile: resolve(root, 'eslint.config.js') })

async function layeringErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, filePath) })
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' && m.severity === 2).map((m) => m.message)
}

describe('layering (eslint no-restricted-imports)', () => {
  it.each([
    ["import { app } from 'electron'\nexport const x = app", 'electron/services/x.ts'],
    ["import fs from 'node:fs'\nexport const x = fs", 'shared/x.ts'],
    ["import fs from 'fs'\nexport const x = fs", 'shared/x.ts'],
    ["import { ref } from 'vue'\nexport const x = ref", 'shared/x.ts'],
    ["import type { ApiImpl } from '../electron/services/api.ts'\nexport type X = ApiImpl", 'shared/x.ts'],
    ["import fs from 'node:fs'\nexport const x = fs", 'renderer/src/x.ts'],
    ["import { ipcRenderer } from 'electron'\nexport const x = ipcRenderer", 'renderer/src/x.ts'],
    ["import { openMusubi } from '../services/musubi.ts'\nexport const x = openMusubi", 'electron/preload/x.ts'],
  ])('refuses %j in %s', async (code, filePath) => {
    const errors = await layeringErrors(code, filePath)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/Bad layering/)
  })

  it.each([
    ["import { z } from 'zod'\nexport const x = z", 'shared/x.ts'],
    ["import { app } from 'electron'\nexport const x = app", 'electron/main/x.ts'],
    ["import fs from 'node:fs'\nexport const x = fs", 'electron/services/x.ts'],
    ["import { ipcRenderer } from 'electron'\nimport { channelOf } from '../../shared/ipc/contract.ts'\nexport const x = [ipcRenderer, channelOf]", 'electron/preload/x.ts'],
    ["import { channelOf } from '../../../shared/ipc/contract.ts'\nexport const x = channelOf", 'renderer/src/x.ts'],
  ])('allows %j in %s', async (code, filePath) => {
    expect(await layeringErrors(code, filePath)).toEqual([])
  })
})
