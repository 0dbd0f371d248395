import { describe, expect, it } from 'vitest';
import { parseTestFile } from '../spec';
import type { Classification } from './classes';
import { portCalled } from './repair-wait';
import { proposeRepairs } from './repairs';

const LATE = `# a service that listens late
[meta]
name = "late"
version = "1"

[service.web]
image = "cleanroom/busybox:latest"
args = ["sh", "-c", "sleep 4; httpd -f -p 8080 -h /tmp"]   # opens its port 4 s in

[service.other]
image = "cleanroom/busybox:latest"

[[scenario]]
name = "call"

[[scenario.steps]]
name = "get"
command = ["sh", "-c", "printf 'GET / HTTP/1.0\\\\r\\\\n\\\\r\\\\n' | nc web 8080"]
`;

const refused: Classification = {
  class: 'transient_network_error',
  confidence: 0.85,
  evidence: [{ kind: 'step', detail: "nc: can't connect to remote host (172.18.0.2): Connection refused", ref: 'get' }],
};

describe('timing repairs', () => {
  it('reads the port a command calls a service on', () => {
    expect(portCalled('nc web 8080', 'web', undefined)).toBe(8080);
    expect(portCalled('curl -f http://api:3000/health', 'api', [3000, 9000])).toBe(3000);
    expect(portCalled('curl -f http://api/health', 'api', [3000])).toBe(3000);
    expect(portCalled('curl -f http://api/health', 'api', [3000, 9000])).toBeUndefined();
    expect(portCalled('curl -f http://rapid:3000', 'api', [3000])).toBeUndefined();
    expect(portCalled('curl -f http://api-v2:3000', 'api', [3000])).toBeUndefined();
  });

  it('a refused connection gets a port health check on the service the step called, changing only that table', () => {
    const repairs = proposeRepairs({ file: 't.clnrm.toml', source: LATE, classification: refused });
    expect(repairs).toHaveLength(1);
    const [repair] = repairs;
    expect(repair).toMatchObject({ kind: 'wait-for-service-port', reason: 'transient_network_error (85 %)' });
    expect(repair!.description).toBe('wait until service `web` accepts connections on port 8080 before the steps run (a health_check on [service.web], a try each second for up to 30 s)');
    expect(repair!.evidence[0]).toBe("nc: can't connect to remote host (172.18.0.2): Connection refused [get]");
    expect(repair!.evidence[1]).toMatch(/^step `get` calls `web` on port 8080: sh -c printf/);
    const line = 'health_check = { cmd = ["sh", "-c", "nc -w 1 127.0.0.1 8080 </dev/null"], interval = 1, retries = 30 }';
    expect(repair!.text).toBe(LATE.replace('# opens its port 4 s in\n', `# opens its port 4 s in\n${line}\n`));
    const parsed = parseTestFile(repair!.text, { file: 't.clnrm.toml' });
    expect(parsed.errors).toEqual([]);
    expect(parsed.tests[0]!.services.web?.healthCheck).toMatchObject({ cmd: ['sh', '-c', 'nc -w 1 127.0.0.1 8080 </dev/null'], intervalSecs: 1, retries: 30 });
    // The service has a readiness check now: nothing more to propose.
    expect(proposeRepairs({ file: 't.clnrm.toml', source: repair!.text, classification: refused })).toEqual([]);
  });

  it('proposes no wait for a refusal under another class, or from a step that names no service', () => {
    expect(proposeRepairs({ file: 't.clnrm.toml', source: LATE, classification: { ...refused, class: 'assertion_failure' } })).toEqual([]);
    const elsewhere = LATE.replace('nc web 8080', 'nc example.test 8080');
    expect(proposeRepairs({ file: 't.clnrm.toml', source: elsewhere, classification: refused })).toEqual([]);
  });

  it('a health check that ran out of tries gets three times as many', () => {
    const source = LATE.replace('# opens its port 4 s in\n', '# opens its port 4 s in\nhealth_check = { cmd = ["test", "-f", "/tmp/ready"], interval = 2, retries = 3 }  # ours\n');
    const timedOut: Classification = {
      class: 'timing_sensitivity',
      confidence: 0.9,
      evidence: [{ kind: 'problem', detail: 'service "web": health check ["test","-f","/tmp/ready"] failed 3 times; last: try 3: exit 1', ref: 'docker.wait-timeout' }],
    };
    const [repair] = proposeRepairs({ file: 't.clnrm.toml', source, classification: timedOut });
    expect(repair).toMatchObject({ kind: 'raise-health-check-retries', description: "give service `web`'s health check 9 tries instead of 3 (2 s apart: up to 18 s instead of 6 s)" });
    expect(repair!.text).toBe(source.replace('interval = 2, retries = 3 }', 'interval = 2, retries = 9 }'));
  });
});
