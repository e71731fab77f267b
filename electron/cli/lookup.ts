// `musubi lookup <text>`: what the counter would show for a scanned text, as JSON on stdout.
// Exit 0 when the text resolved to something, 1 for an unknown or refused code (reason in the JSON).
import type { ScanOutcome } from '../../shared/views.ts'
import { openMusubi } from '../services/musubi.ts'
import type { CliIo, CommonOptions } from './main.ts'

export function lookupReason(outcome: ScanOutcome): string | null {
  switch (outcome.kind) {
    case 'member':
    case 'coupon':
      return null
    case 'product':
      return outcome.sku ? null : 'product_not_in_cache'
    case 'member_unknown':
      return `member_${outcome.reason}`
    case 'member_refused':
      return `app_qr_${outcome.reason}`
    case 'staff':
      return null
    case 'partial':
      return `partial_read_${outcome.reason}`
    case 'unknown':
      return 'unknown_code'
    case 'sign_in_required':
      return 'sign_in_required'
  }
}

export async function runLookup(options: CommonOptions, text: string, io: CliIo): Promise<number> {
  const musubi = openMusubi({ configPath: options.configPath, dataDir: options.dataDir, env: io.env })
  try {
    const outcome = await musubi.lookup(text)
    const reason = lookupReason(outcome)
    io.stdout.write(JSON.stringify(reason ? { ...outcome, reason } : outcome, null, 2) + '\n')
    return reason ? 1 : 0
  } finally {
    await musubi.close()
  }
}
