// Writes one SYNTHETIC trace (shared/trace/synthetic.ts) as OTLP JSON files a user could drop on
// the studio or give `clnrm import`: at most `perFile` spans a file, so a million spans never
// become one JSON text (V8 strings stop near 512 MB). For bench:ui and the big-trace e2e spec.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeOtlpJson } from '../shared/otlp';
import { generateTrace, type SyntheticShape } from '../shared/trace/synthetic';

export interface BigTrace {
  traceId: string;
  files: string[];
  spans: number;
}

export function writeBigTrace(dir: string, name: string, spans: number, shape: SyntheticShape, seed: number, perFile = 100_000): BigTrace {
  const all = generateTrace({ spans, shape, seed });
  const files: string[] = [];
  for (let k = 0; k * perFile < all.length; k++) {
    const file = join(dir, `${name}-${k}.otlp.json`);
    writeFileSync(file, JSON.stringify(encodeOtlpJson(all.slice(k * perFile, (k + 1) * perFile))));
    files.push(file);
  }
  return { traceId: all[0]!.traceId, files, spans: all.length };
}
