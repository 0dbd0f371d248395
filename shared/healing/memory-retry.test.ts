import { describe, expect, it } from 'vitest';
import { MAX_RETRY_MEMORY_MB, memoryRetry } from './memory-retry';

describe('memory for a retry after an OOM kill', () => {
  const limits: Record<string, number> = { api: 64, db: 256 };
  const limitOf = (s: string) => limits[s];

  it('grows the limit of each killed service by the multiplier, from what it last ran with', () => {
    const first = memoryRetry({ oomKilled: ['api'], limitOf });
    expect(first).toEqual({ memoryMb: { api: 96 }, note: 'memory limit × 1.5 after the OOM kill: api 64 → 96 MB' });
    const second = memoryRetry({ oomKilled: ['api', 'db'], limitOf, previous: first, multiplier: 2 });
    expect(second).toEqual({ memoryMb: { api: 192, db: 512 }, note: 'memory limit × 2 after the OOM kill: api 96 → 192 MB, db 256 → 512 MB' });
  });

  it('stops at the maximum: grows up to it, then leaves the service as it is', () => {
    const near = memoryRetry({ oomKilled: ['db'], limitOf: () => 6000 });
    expect(near?.memoryMb).toEqual({ db: MAX_RETRY_MEMORY_MB });
    expect(memoryRetry({ oomKilled: ['db'], limitOf: () => 6000, previous: near })).toBeUndefined();
  });

  it('changes nothing for a service without a limit, nothing killed, or a multiplier that does not grow', () => {
    expect(memoryRetry({ oomKilled: ['cache'], limitOf })).toBeUndefined();
    expect(memoryRetry({ oomKilled: [], limitOf })).toBeUndefined();
    expect(memoryRetry({ oomKilled: ['api'], limitOf, multiplier: 1 })).toBeUndefined();
  });
});
