import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AppInfo, Locale } from '../../../shared/views.ts'
import { api } from '../bridge.ts'
import { i18n } from '../i18n/index.ts'

/** The register: store, device, demo or not, and the UI language (remembered per register). */
export const useAppStore = defineStore('app', () => {
  const info = ref<AppInfo | null>(null)

  function applyLocale(locale: Locale): void {
    i18n.global.locale.value = locale
    document.documentElement.lang = locale
  }

  async function load(): Promise<void> {
    info.value = await api.app.info()
    applyLocale(info.value.locale)
  }

  /** Switches at once; the stored choice follows (and is put back if storing fails). */
  async function setLocale(locale: Locale): Promise<void> {
    const previous = i18n.global.locale.value
    applyLocale(locale)
    try {
      info.value = await api.app.setLocale(locale)
    } catch (error) {
      applyLocale(previous)
      throw error
    }
  }

  return { info, load, setLocale }
})
