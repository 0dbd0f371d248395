// A small clnrm-shaped trace shared by the family tests.
import type { Span } from '../model';
import { spans } from './testing';

export function clnrmTrace(): Span[] {
  return spans([
    { id: 'run', name: 'clnrm.run', startMs: 0, endMs: 100, status: 'ok' },
    { id: 'reg', name: 'clnrm.plugin.registry', parent: 'run', startMs: 1, endMs: 5, status: 'ok' },
    {
      id: 'step',
      name: 'clnrm.step:hello_world',
      parent: 'run',
      startMs: 10,
      endMs: 50,
      status: 'ok',
      attrs: { result: 'pass', 'http.status_code': 200 },
      events: ['container.start', 'container.exec', 'container.stop'],
    },
    { id: 'exec', name: 'container.exec', parent: 'step', startMs: 12, endMs: 40, kind: 'client', status: 'ok' },
    { id: 'clean', name: 'clnrm.cleanup', parent: 'run', startMs: 60, endMs: 70, status: 'ok' },
  ]);
}
