// The relay's output protocol: what the OTLP relay container writes to stdout, which the runner reads
// back over the engine's API (container logs), so spans come home over the connection the runner
// already has. One record per line, so the engine's log driver may split long lines and the reader
// still rejoins them:
//   CLNRM-RELAY/1 ready <port>             the relay listens
//   CLNRM-RELAY/1 spans <n> <base64>       one accepted request's n spans, as an OTLP protobuf request
//   CLNRM-RELAY/1 end <accepted>           the flush marker: every accepted span was written above
// Anything else on stdout is not ours and is ignored by the reader.
export const RELAY_PREFIX = 'CLNRM-RELAY/1 ';

export type RelayRecord =
  | { readonly kind: 'ready'; readonly port: number }
  | { readonly kind: 'spans'; readonly count: number; readonly otlp: Uint8Array }
  | { readonly kind: 'end'; readonly accepted: number };

export function readyLine(port: number): string {
  return `${RELAY_PREFIX}ready ${port}\n`;
}

export function spansLine(count: number, otlp: Uint8Array): string {
  return `${RELAY_PREFIX}spans ${count} ${Buffer.from(otlp.buffer, otlp.byteOffset, otlp.byteLength).toString('base64')}\n`;
}

export function endLine(accepted: number): string {
  return `${RELAY_PREFIX}end ${accepted}\n`;
}

const COUNT = /^\d{1,12}$/;

/** The record a line holds; undefined for a line that is not ours; throws for one of ours that is damaged. */
export function parseRelayLine(line: string): RelayRecord | undefined {
  if (!line.startsWith(RELAY_PREFIX)) return undefined;
  const [kind, first, payload] = line.slice(RELAY_PREFIX.length).split(' ');
  if (!COUNT.test(first ?? '')) throw new Error(`damaged relay record "${line.slice(0, 60)}": no count`);
  const n = Number(first);
  if (kind === 'ready') return { kind, port: n };
  if (kind === 'end') return { kind, accepted: n };
  if (kind === 'spans' && payload !== undefined && /^[A-Za-z0-9+/]*={0,2}$/.test(payload)) return { kind, count: n, otlp: new Uint8Array(Buffer.from(payload, 'base64')) };
  throw new Error(`damaged relay record "${line.slice(0, 60)}"`);
}
