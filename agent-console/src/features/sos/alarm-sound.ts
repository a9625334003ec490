/**
 * The alert sound, made with Web Audio (no audio file to load): a two-tone siren for SOS, a short chime for
 * an ordinary ringing pop. Browsers only start audio after a user gesture on the page; signing in is one.
 */
let ctx: AudioContext | null = null;
let sirenTimer: number | null = null;

function context(): AudioContext | null {
  try {
    ctx ??= new AudioContext();
    if (ctx.state === 'suspended') void ctx.resume();
    return ctx;
  } catch {
    return null;
  }
}

function tone(frequency: number, startOffset: number, duration: number, volume = 0.2): void {
  const c = context();
  if (!c) return;
  const osc = c.createOscillator();
  const gain = c.createGain();
  osc.type = 'square';
  osc.frequency.value = frequency;
  const start = c.currentTime + startOffset;
  gain.gain.setValueAtTime(0.0001, start);
  gain.gain.exponentialRampToValueAtTime(volume, start + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + duration);
  osc.connect(gain).connect(c.destination);
  osc.start(start);
  osc.stop(start + duration + 0.05);
}

/** Start the SOS siren (repeats every 1.2 s until stopped). */
export function startSiren(): void {
  if (sirenTimer !== null) return;
  const cycle = () => {
    tone(880, 0, 0.45);
    tone(660, 0.55, 0.45);
  };
  cycle();
  sirenTimer = window.setInterval(cycle, 1200);
}

export function stopSiren(): void {
  if (sirenTimer !== null) window.clearInterval(sirenTimer);
  sirenTimer = null;
}

/** A short two-note chime for an ordinary incoming pop. */
export function chime(): void {
  tone(988, 0, 0.18, 0.12);
  tone(1319, 0.2, 0.25, 0.12);
}

/** Unlock audio on a user gesture (call from a click/keydown handler such as sign-in). */
export function unlockAudio(): void {
  context();
}
