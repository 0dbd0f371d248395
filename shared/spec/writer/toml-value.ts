// Writes one TOML value (inline form) or key, for edits: strings as basic strings, tables inline.
const BARE = /^[A-Za-z0-9_-]+$/;

export function tomlKey(key: string): string {
  return BARE.test(key) ? key : tomlString(key);
}

export function tomlString(text: string): string {
  // JSON escapes are valid TOML basic-string escapes; DEL is a control character TOML forbids raw.
  return JSON.stringify(text).replace(/\u007f/g, '\\u007F');
}

export function tomlValue(value: unknown): string {
  if (typeof value === 'string') return tomlString(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
    return String(value);
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `[${value.map(tomlValue).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${tomlKey(k)} = ${tomlValue(v)}`).join(', ')} }`;
  }
  throw new Error(`cannot write ${String(value)} as a TOML value`);
}
