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

// Hues spread so neighbours differ; red (0..15) is left out because it means "error".
const PALETTE_HUES = [211, 145, 32, 268, 187, 322, 88, 244, 50, 165, 292, 122, 200, 345, 70, 230];

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
  return { hue, light: `hsl(${hue} 62% 48%)`, dark: `hsl(${hue} 70% 62%)` };
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
      const hue = 20 + Math.round(((++overflow * 137.508) % 330) * 10) / 10;
      out.set(name, colorOf(hue));
    }
  }
  return out;
}
