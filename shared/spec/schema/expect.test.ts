// The [expect] / temporal / distributed schemas accept the forms real clnrm files use and explain rejections.
import { describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { distributedTracingSchema, expectSchema, temporalSchema } from './expect';

describe('expectSchema', () => {
  it('accepts every v1 family in the forms clnrm examples use', () => {
    const doc = parse(`
[[expect.span]]
name="clnrm.step:hello_world"
kind="internal"
parent="clnrm.run"
attrs.all={ "result"="pass", "http.status_code" = 200 }
attrs.any=["step.name=hello_world","status=ok"]
events.any=["container.start","container.exec"]
duration_ms={ min=10, max=600000 }

[[expect.span]]
name = "clnrm.cleanup"
attrs.any = { "container.id" = ["a", "b"] }
count = { eq = 2 }
status = "OK"

[expect.graph]
must_include=[["clnrm.run","clnrm.step:hello_world"]]
must_not_cross=[["a","b"]]
acyclic=true

[expect.counts]
spans_total={ gte=2, lte=200 }
errors_total.eq = 0
[expect.counts.by_name]
"clnrm.run" = { eq = 1 }
"clnrm.test".gte = 3

[[expect.window]]
outer="clnrm.run"
contains=["clnrm.step:hello_world"]

[expect.order]
must_precede=[["clnrm.plugin.registry","clnrm.step:hello_world"]]
must_follow=[["b","a"]]

[expect.status]
all="OK"
by_name={ "clnrm.*"="ok" }

[expect.hermeticity]
no_external_services=true
resource_attrs.must_match={ "service.name"="clnrm", "env"="ci" }
span_attrs.forbid_keys=["net.peer.name","db.connection_string"]
`) as { expect: unknown };
    const r = expectSchema.safeParse(doc.expect);
    expect(r.success, JSON.stringify(r.error?.issues)).toBe(true);
  });

  it('accepts attribute conditions and lists used by clnrm example files', () => {
    const doc = parse(`
[[expect.span]]
name = "chaos"
attrs.all = { "chaos.types" = ["network", "memory"], "cascade.depth" = { gte = 2 }, "v" = { exists = true } }
attrs.any = { "x" = { contains = "y" } }
`) as { expect: unknown };
    const r = expectSchema.safeParse(doc.expect);
    expect(r.success, JSON.stringify(r.error?.issues)).toBe(true);
    expect(expectSchema.safeParse({ span: [{ name: 'x', attrs: { all: { k: {} } } }] }).success).toBe(false);
  });

  it('accepts a single [expect.window] table', () => {
    const doc = parse(`[expect.window]\nouter="a"\ncontains=["b"]`) as { expect: unknown };
    expect(expectSchema.safeParse(doc.expect).success).toBe(true);
  });

  it('rejects bad shapes with messages naming the expected shape', () => {
    const bad = expectSchema.safeParse({
      span: [{ name: 'x', kind: 'sideways' }],
      counts: { spans_total: { gte: -1 } },
      graph: { must_include: [['only-one']] },
      status: { all: 'GREEN' },
    });
    expect(bad.success).toBe(false);
    const text = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
    expect(text).toContain('kind must be one of');
    expect(text).toContain('whole number >= 0');
    expect(text).toContain('status must be one of "OK", "ERROR", "UNSET"');
    expect(text).toMatch(/must_include/);
  });

  it('requires at least one bound in a count table', () => {
    const r = expectSchema.safeParse({ counts: { spans_total: {} } });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toContain('at least one of eq, gte, lte');
  });
});

describe('temporal and distributed schemas', () => {
  it('accept the v2 design examples', () => {
    const doc = parse(`
[[orchestration.temporal.constraint]]
type = "happens_before"
first = "span:db.ready"
second = "span:api.start"
max_gap_ms = 5000
[[orchestration.temporal.constraint]]
type = "causal_ordering"
spans = ["api.request", "cache.lookup", "db.query"]
[[orchestration.temporal.constraint]]
type = "concurrent"
spans = ["w1", "w2"]
min_overlap_ms = 100
[[orchestration.temporal.constraint]]
type = "latency_percentiles"
span = "api.request"
p50 = { max_ms = 50 }
p99 = { max_ms = 500 }
[[orchestration.distributed_tracing.assertion]]
type = "context_propagation"
trace_id_consistent = true
parent_child_relationship = "valid"
baggage_preserved = ["user_id"]
[[orchestration.distributed_tracing.assertion]]
type = "distributed_transaction"
root_span = "api.transaction"
child_spans = ["db.begin", "db.query", "db.commit"]
rollback_on_error = true
[[orchestration.distributed_tracing.assertion]]
type = "service_topology"
expected_edges = [["frontend", "api"]]
forbidden_edges = [["frontend", "db"]]
`) as { orchestration: { temporal: unknown; distributed_tracing: unknown } };
    const t = temporalSchema.safeParse(doc.orchestration.temporal);
    expect(t.success, JSON.stringify(t.error?.issues)).toBe(true);
    const d = distributedTracingSchema.safeParse(doc.orchestration.distributed_tracing);
    expect(d.success, JSON.stringify(d.error?.issues)).toBe(true);
  });

  it('names the allowed constraint types on an unknown type', () => {
    const r = temporalSchema.safeParse({ constraint: [{ type: 'eventually' }] });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toContain('happens_before');
  });
});
