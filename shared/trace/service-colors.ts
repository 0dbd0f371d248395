// Per-service colours: stable (a service keeps its colour across traces because the slot comes
// from a hash of its name) and distinct (collisions inside one trace probe to the next free slot).
// The palette is hand-tuned to stay apart on both the light and the dark theme; beyond its
// size, hues continue around the wheel by the golden angle.

export interface ServiceColor {
  readonly hue: number;
  /** Bar colour on the light theme. */
  readonly light: string;
  /** Bar colour on the dark theme. */
  readonly dark: string;
}

// Eleven colours, each with its own shade per theme, chosen apart in lightness as well as hue so
// that no two look alike on either background (service-colors.test.ts measures it). Red is left
// out because it means "error". The order alternates warm and cool, so probing to the next free
// slot lands on a different-looking colour. `hue` names the colour (and keeps slots apart).
const PALETTE: readonly ServiceColor[] = [
  { hue: 215, light: '#2563eb', dark: '#60a5fa' }, // blue
  { hue: 28, light: '#c2410c', dark: '#fb923c' }, // orange
  { hue: 172, light: '#0f766e', dark: '#2dd4bf' }, // teal
  { hue: 290, light: '#7e22ce', dark: '#d8b4fe' }, // purple
  { hue: 45, light: '#a16207', dark: '#fde047' }, // gold
  { hue: 240, light: '#3730a3', dark: '#818cf8' }, // indigo
  { hue: 330, light: '#be185d', dark: '#f472b6' }, // pink
  { hue: 135, light: '#15803d', dark: '#4ade80' }, // green
  { hue: 33, light: '#7c4a1e', dark: '#c8a27a' }, // brown
  { hue: 205, light: '#64748b', dark: '#cbd5e1' }, // slate
  { hue: 85, light: '#4d7c0f', dark: '#bef264' }, // lime
];

function hashName(name: string): number {
  // FNV-1a, 32-bit.
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Past the palette: a hue round the wheel (yellows and greens darker on light, where they wash out). */
function colorOf(hue: number): ServiceColor {
  const lightL = hue >= 40 && hue <= 170 ? 40 : 50;
  return { hue, light: `hsl(${hue} 65% ${lightL}%)`, dark: `hsl(${hue} 70% 62%)` };
}

/** Colours for a set of service names; same input set → same output, whatever the order. */
export function assignServiceColors(services: Iterable<string>): Map<string, ServiceColor> {
  const names = [...new Set(services)].sort();
  const out = new Map<string, ServiceColor>();
  const used = new Uint8Array(PALETTE.length);
  let overflow = 0;
  for (const name of names) {
    const slot0 = hashName(name) % PALETTE.length;
    let slot = -1;
    for (let k = 0; k < PALETTE.length; k++) {
      const s = (slot0 + k) % PALETTE.length;
      if (!used[s]) {
        slot = s;
        break;
      }
    }
    if (slot !== -1) {
      used[slot] = 1;
      out.set(name, PALETTE[slot]!);
    } else {
      // More services than palette slots: keep going round the wheel, skipping the error reds.
      let hue = 20 + Math.round(((++overflow * 137.508) % 320) * 10) / 10;
      if (PALETTE.some((c) => c.hue === hue)) hue += 0.5;
      out.set(name, colorOf(hue));
    }
  }
  return out;
}
