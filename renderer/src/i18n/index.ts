import { createI18n } from 'vue-i18n'
import type { Locale } from '../../../shared/views.ts'
import { en } from './en.ts'
import { ja } from './ja.ts'

export type MessageSchema = typeof ja

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: 'ja',
  fallbackLocale: 'ja',
  messages: { ja, en },
  missingWarn: false,
  fallbackWarn: false,
})
