// A short tone on every scan, so the associate knows without looking: high for a hit, low for
// a miss. Web Audio, no sound files; silent where audio is unavailable.

let context: AudioContext | null = null

export function playScanSound(ok: boolean): void {
  try {
    context ??= new AudioContext()
    const oscillator = context.createOscillator()
    const gain = context.createGain()
    oscillator.type = 'sine'
    oscillator.frequency.value = ok ? 1320 : 330
    gain.gain.value = 0.08
    oscillator.connect(gain).connect(context.destination)
    const now = context.currentTime
    gain.gain.setTargetAtTime(0, now + (ok ? 0.06 : 0.18), 0.015)
    oscillator.start(now)
    oscillator.stop(now + (ok ? 0.12 : 0.3))
  } catch {
    // No audio device: the visible mark is enough.
  }
}
