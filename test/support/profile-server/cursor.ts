// The feed's cursor: opaque to the client, base64url of `v1:<feedId>:<epoch>:<seq>` here.
// seq: the last change delivered; epoch: the cursor-expiry epoch it was issued in (so cursors
// issued by a full sync after an expiry stay valid); feedId: the database that issued it.

export type Cursor = { feedId: string; epoch: number; seq: number }

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`v1:${cursor.feedId}:${cursor.epoch}:${cursor.seq}`, 'utf8').toString('base64url')
}

/** The cursor in `text`, or null when it is not one this server could have issued (400). */
export function decodeCursor(text: string): Cursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return null
  const match = /^v1:([0-9a-f-]{36}):(\d{1,15}):(\d{1,15})$/.exec(Buffer.from(text, 'base64url').toString('utf8'))
  if (!match) return null
  return { feedId: match[1]!, epoch: Number(match[2]), seq: Number(match[3]) }
}
