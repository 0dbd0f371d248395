import { describe, expect, it } from 'vitest';
import { checkRequest } from './validate';

describe('faultWindows request', () => {
  it('takes a range of unix nanoseconds, optionally narrowed to executions', () => {
    expect(checkRequest('faultWindows', { fromUnixNano: '0', toUnixNano: '9223372036854775807' }).ok).toBe(true);
    expect(checkRequest('faultWindows', { fromUnixNano: '5', toUnixNano: '5', executionIds: ['abc123def456'] }).ok).toBe(true);
  });
  it.each([
    [{ fromUnixNano: '10', toUnixNano: '9' }, 'toUnixNano: fromUnixNano must not be after toUnixNano'],
    [{ fromUnixNano: '-1', toUnixNano: '9' }, 'fromUnixNano: expected unix nanoseconds as a decimal string'],
    [{ fromUnixNano: 1, toUnixNano: '9' }, 'fromUnixNano:'],
    [{ fromUnixNano: 'abc', toUnixNano: '1.5' }, 'fromUnixNano: expected unix nanoseconds as a decimal string (and 1 more)'],
    [{ fromUnixNano: '0', toUnixNano: '9223372036854775808' }, 'toUnixNano: is past the largest time the store holds'],
    [{ fromUnixNano: '0', toUnixNano: '9', executionIds: [] }, 'executionIds:'],
    [{ fromUnixNano: '0', toUnixNano: '9', executionIds: ['../etc'] }, 'executionIds.0:'],
    [{ fromUnixNano: '0', toUnixNano: '9', limit: 5 }, 'Unrecognized key'],
  ])('refuses %j with ipc.invalid saying where', (request, message) => {
    const reply = checkRequest('faultWindows', request);
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('ipc.invalid');
    expect(reply.error.message).toContain(message);
  });
});
