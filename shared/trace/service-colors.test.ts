import { describe, expect, it } from 'vitest';
import { assignServiceColors } from './service-colors';

/** CIE L*a*b* of an sRGB hex colour (D65), for a perceptual distance. */
function lab(hex: string): [number, number, number] {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const xyz = [(0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, 0.2126 * r + 0.7152 * g + 0.0722 * b, (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883];
  const [fx, fy, fz] = xyz.map((t) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116)) as [number, number, number];
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}
const distance = (a: string, b: string) => Math.hypot(...lab(a).map((v, i) => v - lab(b)[i]!));

describe('service colours', () => {
  // Every palette slot in use: as many services as the palette has colours.
  const full = [...assignServiceColors(Array.from({ length: 11 }, (_, i) => `service-${i}`)).values()];

  it('fills the palette with eleven different colours', () => {
    expect(new Set(full.map((c) => c.light)).size).toBe(11);
    expect(new Set(full.map((c) => c.dark)).size).toBe(11);
  });

  for (const [theme, background] of [
    ['light', '#ffffff'],
    ['dark', '#181b22'],
  ] as const) {
    it(`keeps every two colours apart on the ${theme} theme, and each apart from the background`, () => {
      let closest = Infinity;
      for (let i = 0; i < full.length; i++) for (let j = i + 1; j < full.length; j++) closest = Math.min(closest, distance(full[i]![theme], full[j]![theme]));
      // ΔE*76 of 20 is "clearly different colours" at a glance; the earlier hue-only palette had a pair at 11 on dark.
      expect(closest).toBeGreaterThanOrEqual(20);
      for (const c of full) expect(distance(c[theme], background)).toBeGreaterThanOrEqual(35);
    });
  }
});
