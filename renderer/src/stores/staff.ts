import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { SessionView } from '../../../shared/views.ts'
import { api } from '../bridge.ts'

/** How often the associate's activity is reported to the node side (it owns the idle lock). */
const ACTIVITY_EVERY_MS = 15_000
/** How often the screen checks whether the register locked itself (idle). */
const CHECK_EVERY_MS = 5_000

/** Who is signed in at this register; the node side decides (PINs, roles, idle lock). */
export const useStaffStore = defineStore('staff', () => {
  const session = ref<SessionView | null>(null)
  /** A staff badge scanned while locked: its id waits in the sign-in form. */
  const badge = ref<string | null>(null)
  let lastReport = 0
  let timer: ReturnType<typeof setInterval> | null = null

  const signedIn = computed(() => session.value?.state === 'signed_in')
  /** A manager is at the register: signed in, or signed in over the associate. */
  const isManager = computed(() => signedIn.value && session.value?.manager != null)

  async function refresh(): Promise<void> {
    session.value = await api.staff.session()
  }

  async function setup(staffId: string, name: string, pin: string): Promise<void> {
    session.value = await api.staff.setup(staffId, name, pin)
  }

  async function signIn(staffId: string, pin: string): Promise<void> {
    session.value = await api.staff.signIn(staffId, pin)
    badge.value = null
  }

  async function lock(): Promise<void> {
    session.value = await api.staff.lock()
  }

  async function override(staffId: string, pin: string): Promise<void> {
    session.value = await api.staff.override(staffId, pin)
  }

  async function endOverride(): Promise<void> {
    session.value = await api.staff.endOverride()
  }

  /** Touches and keys count as activity; reported at most every 15 s. */
  function noteActivity(): void {
    if (!signedIn.value) return
    const t = Date.now()
    if (t - lastReport < ACTIVITY_EVERY_MS) return
    lastReport = t
    void api.staff.activity().catch(() => undefined)
  }

  function badgeScanned(staffId: string): void {
    badge.value = staffId
    // A badge while someone is signed in: the next associate takes over the register.
    if (signedIn.value) void lock()
  }

  function start(): void {
    timer ??= setInterval(() => {
      if (signedIn.value) void refresh().catch(() => undefined)
    }, CHECK_EVERY_MS)
  }

  function stop(): void {
    if (timer) clearInterval(timer)
    timer = null
  }

  return { session, badge, signedIn, isManager, refresh, setup, signIn, lock, override, endOverride, noteActivity, badgeScanned, start, stop }
})
