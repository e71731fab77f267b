import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import { ApiError } from '../../../shared/ipc/bridge.ts'
import type { Message } from '../../../shared/views.ts'
import { formatDate, yen } from '../format.ts'
import { useAppStore } from '../stores/app.ts'

/** A service's message (key + facts) in the UI's words, money and dates formatted for the counter. */
export function useMessages() {
  const { t } = useI18n()
  const app = useAppStore()
  const tz = computed(() => app.info?.timeZone ?? 'Asia/Tokyo')

  function say(message: Message): string {
    const params: Record<string, string | number> = {}
    for (const [k, v] of Object.entries(message.params)) {
      if (typeof v === 'number' && /Spend|shortBy|subtotal|Yen$/.test(k)) params[k] = yen(v)
      else if (typeof v === 'string' && /^valid/.test(k)) params[k] = formatDate(v, tz.value)
      else params[k] = v
    }
    return t(message.key, params)
  }

  /** A failed call in the UI's words; `withDetail` adds the services' own message (for managers' forms). */
  function errorText(error: unknown, withDetail = false): string {
    if (!(error instanceof ApiError)) return String(error)
    return withDetail ? `${t(`errors.${error.code}`)} (${error.message})` : t(`errors.${error.code}`)
  }

  return { say, errorText, tz }
}
