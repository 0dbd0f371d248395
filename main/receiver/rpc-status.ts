// The error body OTLP asks for: a google.rpc.Status (code + message), encoded as protobuf or JSON to
// match the request. Only the two scalar fields are ever written, so the encoder is a few lines.
import { Buffer } from 'node:buffer';

/** gRPC status codes used in OTLP error responses. */
export const RpcCode = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  UNAVAILABLE: 14,
} as const;

function varint(value: number, out: number[]): void {
  let v = value >>> 0;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}

export function encodeStatusProtobuf(code: number, message: string): Buffer {
  const text = Buffer.from(message, 'utf8');
  const head: number[] = [];
  if (code !== 0) {
    head.push(0x08); // field 1 (code), varint
    varint(code, head);
  }
  head.push(0x12); // field 2 (message), length-delimited
  varint(text.length, head);
  return Buffer.concat([Buffer.from(head), text]);
}

export function encodeStatusJson(code: number, message: string): string {
  return JSON.stringify({ code, message });
}
