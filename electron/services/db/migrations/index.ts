// Numbered in tens (room for a fix-up in between). A migration that has shipped is never edited.
import type { WritableDB } from '../handle.ts'
import { migration0010 } from './0010-cache.ts'
import { migration0020 } from './0020-settings.ts'
import { migration0030 } from './0030-sales-outbox.ts'
import { migration0040 } from './0040-suggest.ts'
import { migration0050 } from './0050-coupon-redemptions.ts'
import { migration0070 } from './0070-staff-audit.ts'
import { migration0080 } from './0080-consent-index.ts'
import { migration0090 } from './0090-staged-events.ts'
import { migration0100 } from './0100-staged-event-batches.ts'
import { migration0110 } from './0110-purchases-covering.ts'
import { migration0120 } from './0120-search-queue.ts'
import { migration0130 } from './0130-events-rowid.ts'
import { migration0140 } from './0140-purchases-with-id.ts'
import { migration0150 } from './0150-sales-at.ts'

export type Migration = { version: number; name: string; up: (db: WritableDB) => void }

export const migrations: readonly Migration[] = [migration0010, migration0020, migration0030, migration0040, migration0050, migration0070, migration0080, migration0090, migration0100, migration0110, migration0120, migration0130, migration0140, migration0150]

export const latestSchemaVersion = migrations[migrations.length - 1]!.version
