// Exponential backoff with jitter, capped at 60 s, never shorter than the server's Retry-After
// (profile-api.md "Answers that apply to every call").

export type RetryPolicy = { baseMs: number; capMs: number; random: () => number }

export const defaultRetryPolicy: RetryPolicy = { baseMs: 1000, capMs: 60_000, random: Math.random }

/** The wait before try number `attempt + 1` (attempt counts failures so far, from 1). */
export function backoffMs(policy: RetryPolicy, attempt: number, retryAfterMs: number | null = null): number {
  const exponential = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(30, Math.max(0, attempt - 1)))
  // "Equal jitter": half fixed, half random, so registers that failed together spread out
  // without any of them retrying at once.
  const jittered = exponential / 2 + policy.random() * (exponential / 2)
  return Math.max(jittered, Math.min(retryAfterMs ?? 0, policy.capMs))
}
