// Contact details are masked on the counter screen (the queue can see it) and shown on a tap.

/** `090-1234-5678` → `***-****-5678`: the last four digits stay. */
export function maskPhone(phone: string): string {
  let keep = 4
  let out = ''
  for (let i = phone.length - 1; i >= 0; i--) {
    const ch = phone[i]!
    if (/[0-9０-９]/.test(ch)) {
      out = (keep > 0 ? ch : '*') + out
      keep--
    } else out = ch + out
  }
  return out
}

/** `taro.yamada@example.jp` → `t***@example.jp`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@')
  if (at <= 0) return '***'
  return `${email[0]}***${email.slice(at)}`
}
