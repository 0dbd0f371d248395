import { describe, expect, it } from 'vitest';
import { parseTestFile } from './parse';
import { declaredTopology } from './topology';

const HEAD = '[meta]\nname = "t"\n[[scenario]]\nname = "s"\n[[scenario.steps]]\nname = "x"\ncommand = "true"\n';

describe('declaredTopology', () => {
  it('names services as their spans will (OTEL_SERVICE_NAME, else the id) and turns dependencies into expected calls', () => {
    const r = parseTestFile(
      `${HEAD}[services.db]\nimage = "d"\n[services.backend]\nimage = "a"\nenv = { OTEL_SERVICE_NAME = "api" }\ndepends_on = ["db", "queue"]\n` +
        `[services.queue]\nimage = "q"\n[services.web]\nimage = "w"\n[orchestration.dependency_graph]\nedges = [["backend", "web"], ["db", "backend"]]\n`,
    );
    expect(r.errors).toEqual([]);
    expect(declaredTopology(r.tests[0]!)).toEqual({
      services: [
        { id: 'db', name: 'db' },
        { id: 'backend', name: 'api' },
        { id: 'queue', name: 'queue' },
        { id: 'web', name: 'web' },
      ],
      // depends_on first; the graph's [backend, web] means web calls api; [db, backend] repeats api → db.
      edges: [
        { from: 'api', to: 'db' },
        { from: 'api', to: 'queue' },
        { from: 'web', to: 'api' },
      ],
    });
  });

  it('a file without services declares nothing', () => {
    const r = parseTestFile(HEAD);
    expect(declaredTopology(r.tests[0]!)).toEqual({ services: [], edges: [] });
  });
});
