// Per-service colours: stable (a service keeps its colour across traces because the slot comes
// from a hash of its name) and distinct (collisions inside one trace probe to the next free slot).
// The palette is hand-tuned to stay readable on both the light and the dark theme; beyond its
// size, hues continue around the wheel by the golden angle.

export interface ServiceColor {
  readonly hue: number;
  /** Bar colour on the light theme. */
  readonly light: string;
  /** Bar colour on the dark theme. */
  readonly dark: string;
}

// Twelve hues ~27° apart, red (340..20) left out because it means "error". Listed in an order that
// alternates warm and cool so that probing to the next free slot lands on a different-looking colour.
const PALETTE_HUES = [212, 32, 145, 292, 185, 52, 258, 105, 318, 158, 78, 238];

function hashName(name: string): number {
  // FNV-1a, 32-bit.
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function colorOf(hue: number): ServiceColor {
  // Yellows and greens look washed out at the same lightness as blues; darken them on light.
  const lightL = hue >= 40 && hue <= 170 ? 40 : 50;
  return { hue, light: `hsl(${hue} 65% ${lightL}%)`, dark: `hsl(${hue} 70% 62%)` };
}

/** Colours for a set of service names; same input set → same output, whatever the order. */
export function assignServiceColors(services: Iterable<string>): Map<string, ServiceColor> {
  const names = [...new Set(services)].sort();
  const out = new Map<string, ServiceColor>();
  const used = new Uint8Array(PALETTE_HUES.length);
  let overflow = 0;
  for (const name of names) {
    const slot0 = hashName(name) % PALETTE_HUES.length;
    let slot = -1;
    for (let k = 0; k < PALETTE_HUES.length; k++) {
      const s = (slot0 + k) % PALETTE_HUES.length;
      if (!used[s]) {
        slot = s;
        break;
      }
    }
    if (slot !== -1) {
      used[slot] = 1;
      out.set(name, colorOf(PALETTE_HUES[slot]!));
    } else {
      // More services than palette slots: keep going round the wheel, skipping the error reds.
      let hue = 20 + Math.round(((++overflow * 137.508) % 320) * 10) / 10;
      if (PALETTE_HUES.includes(hue)) hue += 0.5;
      out.set(name, colorOf(hue));
    }
  }
  return out;
}
