// `[matrix]`: key → list of values; one concrete test per combination (cartesian product, keys in
// the order written, values in the order listed). Built iteratively.

export type MatrixValue = string | number | boolean;
export type Combination = Record<string, MatrixValue>;

/** Reads a matrix table if it has the right shape; undefined otherwise (the schema reports why). */
export function readMatrix(value: unknown): Record<string, MatrixValue[]> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out: Record<string, MatrixValue[]> = {};
  for (const [key, list] of Object.entries(value)) {
    if (!Array.isArray(list) || list.length === 0) return undefined;
    if (!list.every((v) => ['string', 'number', 'boolean'].includes(typeof v))) return undefined;
    out[key] = list as MatrixValue[];
  }
  return out;
}

export function combinationCount(matrix: Record<string, MatrixValue[]>): number {
  return Object.values(matrix).reduce((n, values) => n * values.length, 1);
}

export function expandMatrix(matrix: Record<string, MatrixValue[]> | undefined): Combination[] {
  let combos: Combination[] = [{}];
  for (const [key, values] of Object.entries(matrix ?? {})) {
    const next: Combination[] = [];
    for (const combo of combos) for (const value of values) next.push({ ...combo, [key]: value });
    combos = next;
  }
  return combos;
}

export function combinationLabel(combo: Combination): string {
  const parts = Object.entries(combo).map(([k, v]) => `${k}=${String(v)}`);
  return parts.length === 0 ? '' : ` [${parts.join(', ')}]`;
}
