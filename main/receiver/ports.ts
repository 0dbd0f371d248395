// Port helpers: is a port free, find a free one, and the `port.in-use` error that names both.
import { createServer } from 'node:net';
import { StudioError } from '../../shared/errors';

export function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

export function findFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ host, port: 0 }, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export async function portInUse(kind: 'HTTP' | 'gRPC', host: string, port: number): Promise<StudioError> {
  const flag = kind === 'HTTP' ? '--http-port' : '--grpc-port';
  let suggestion = '';
  try {
    suggestion = ` (${await findFreePort(host)} is free)`;
  } catch {
    // No suggestion then; the message still says what to do.
  }
  return new StudioError({
    code: 'port.in-use',
    message: `The OTLP/${kind} port ${host}:${port} is already in use. Stop whatever listens there or choose another port with ${flag}${suggestion}.`,
    details: { kind, host, port },
  });
}
