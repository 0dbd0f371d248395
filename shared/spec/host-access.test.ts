import { describe, expect, it } from 'vitest';
import { hostAccess, hostAccessRisk, normaliseHostPath } from './host-access';
import { parseTestFile } from './parse';
import { HEAD, brief } from './test-helpers';

const withVolumes = (volumes: string) => `${HEAD}\n[service.api]\nimage = "alpine"\nvolumes = ${volumes}\n`;

describe('host access', () => {
  it('names the risk of the engine socket, /, system folders and the home folder', () => {
    expect(hostAccessRisk('/var/run/docker.sock')).toMatch(/engine's socket/);
    expect(hostAccessRisk('/run//docker.sock')).toMatch(/engine's socket/);
    expect(hostAccessRisk('/')).toMatch(/whole file system/);
    expect(hostAccessRisk('/srv/../')).toMatch(/whole file system/);
    for (const folder of ['/etc', '/usr/lib', '/bin', '/sbin', '/lib', '/boot', '/dev', '/proc', '/sys', '/var/lib/docker', '/root']) {
      expect(hostAccessRisk(folder), folder).toMatch(/system folder/);
    }
    expect(hostAccessRisk('/home/me', '/home/me')).toMatch(/home folder/);
    expect(hostAccessRisk('/home', '/home/me')).toMatch(/home folder/);
    expect(hostAccessRisk('/Users/me')).toMatch(/home folder/);
    expect(hostAccessRisk('/home/me/project', '/home/me')).toBeUndefined();
    expect(hostAccessRisk('/srv/data')).toBeUndefined();
    expect(hostAccessRisk('/tmp/x')).toBeUndefined();
    expect(normaliseHostPath('/a//b/./c/../d/')).toBe('/a/b/d');
  });

  it('warns in validate at the volume, in both volume forms', () => {
    const source = withVolumes('["/:/host", { host_path = "/var/run/docker.sock", container_path = "/var/run/docker.sock" }, "/srv/app:/app:ro"]');
    const result = parseTestFile(source, { file: 't.clnrm.toml', env: { HOME: '/home/me' } });
    expect(result.errors).toEqual([]);
    expect(result.warnings.filter((w) => w.code === 'spec.host-access').map(brief)).toEqual([
      expect.stringMatching(/^11:12 spec.host-access service `api` mounts \/ from the host: \/ is the host's whole file system; mount a project folder instead/),
      expect.stringMatching(/^11:23 spec.host-access service `api` mounts \/var\/run\/docker.sock from the host: .*engine's socket/),
    ]);
    expect(result.warnings.find((w) => w.code === 'spec.host-access')!.path).toBe('service.api.volumes[0]');
  });

  it('lists every mount of a file, with the risk where there is one', () => {
    const test = parseTestFile(withVolumes('["/etc:/e:ro", "/srv/app:/app"]'), { env: {} }).tests[0]!;
    expect(hostAccess(test)).toEqual([
      { service: 'api', kind: 'mount', hostPath: '/etc', containerPath: '/e', readOnly: true, risk: expect.stringMatching(/system folder/) },
      { service: 'api', kind: 'mount', hostPath: '/srv/app', containerPath: '/app', readOnly: false },
    ]);
  });
});
