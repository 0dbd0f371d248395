// Which engines get a relay (CLNRM_RELAY and the endpoint), and where the run's receiver listens for a
// remote engine: loopback, never every interface, unless the user says so.
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { chooseReceiverBinding } from './receiver-host';
import { relayMode, wantsRelay } from './relay';

const remote = { address: 'tcp://10.0.0.5:2375', local: false };
const local = { address: 'unix:///var/run/docker.sock', local: true };
// A remote engine's bridge is never asked about: nothing of it is ours.
const noDocker = {} as Docker;

describe('span relay choice', () => {
  it('relays for remote engines by default, always or never when told', () => {
    expect(wantsRelay(relayMode({}), remote)).toBe(true);
    expect(wantsRelay(relayMode({}), local)).toBe(false);
    expect(wantsRelay(relayMode({ CLNRM_RELAY: 'always' }), local)).toBe(true);
    expect(wantsRelay(relayMode({ CLNRM_RELAY: ' Never ' }), remote)).toBe(false);
    expect(() => relayMode({ CLNRM_RELAY: 'sometimes' })).toThrow(expect.objectContaining({ problem: expect.objectContaining({ code: 'relay.mode' }) }));
  });

  it('keeps the receiver on 127.0.0.1 for a remote engine, unless CLNRM_RECEIVER_HOST says otherwise', async () => {
    expect(await chooseReceiverBinding(noDocker, remote, {})).toMatchObject({ host: '127.0.0.1', reason: expect.stringMatching(/relay/) });
    expect(await chooseReceiverBinding(noDocker, remote, { CLNRM_RECEIVER_HOST: '0.0.0.0' })).toMatchObject({ host: '0.0.0.0', reason: 'CLNRM_RECEIVER_HOST' });
  });
});
