// `musubi sales import <file.jsonl>`: the POS integration path. Each line is one Sale, validated
// as the server will; a bad line is reported with its number and nothing of it is recorded; a
// sale already recorded is skipped and reported, never recorded twice.
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { toErrorValue } from '../../shared/errors.ts'
import { openMusubi } from '../services/musubi.ts'
import type { CliIo, CommonOptions } from './main.ts'

export async function runSalesImport(options: CommonOptions, file: string, io: CliIo): Promise<number> {
  const musubi = openMusubi({ configPath: options.configPath, dataDir: options.dataDir, env: io.env })
  const counts = { recorded: 0, duplicate: 0, refused: 0 }
  try {
    const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })
    let number = 0
    for await (const line of lines) {
      number++
      if (line.trim() === '') continue
      let value: unknown
      try {
        value = JSON.parse(line)
      } catch (error) {
        counts.refused++
        io.stderr.write(`${file}:${number}: refused: not valid JSON (${(error as Error).message})\n`)
        continue
      }
      try {
        const result = musubi.recordSale(value)
        if (result.recorded) counts.recorded++
        else {
          counts.duplicate++
          io.stderr.write(`${file}:${number}: skipped: sale ${result.saleId} is already recorded\n`)
        }
      } catch (error) {
        counts.refused++
        io.stderr.write(`${file}:${number}: refused: ${toErrorValue(error).message}\n`)
      }
    }
  } catch (error) {
    io.stderr.write(`musubi sales import: cannot read ${file}: ${(error as Error).message}\n`)
    return 1
  } finally {
    await musubi.close()
  }
  io.stderr.write(`sales import: ${counts.recorded} recorded, ${counts.duplicate} already recorded, ${counts.refused} refused\n`)
  return counts.refused > 0 ? 2 : 0
}
