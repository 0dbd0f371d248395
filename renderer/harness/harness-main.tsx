// Performance harness page (harness.html?spans=100000&shape=wide|deep|flat&view=trace|traces|service-map&theme=light|dark).
// Generates a SYNTHETIC trace in the page, opens it in the real studio UI over the demo back end,
// and publishes timings on window.__harness for the benchmark and the e2e tests.
import { createRoot } from 'react-dom/client';
import { App } from '../app/App';
import { useStudio } from '../app/store';
import { generateTrace } from '../../shared/trace';
import type { SyntheticShape } from '../../shared/trace';
import { createDemoApi } from './demo-api';
import { installHarnessProbe } from './probe';

const params = new URLSearchParams(location.search);
const spanCount = Math.max(1, Math.min(5_000_000, Number(params.get('spans') ?? 2000) || 2000));
const shape = (['wide', 'deep', 'flat'].includes(params.get('shape') ?? '') ? params.get('shape') : 'wide') as SyntheticShape;
const seed = Number(params.get('seed') ?? 42) || 42;
const view = params.get('view') ?? 'trace';
const theme = params.get('theme');
if (theme === 'light' || theme === 'dark') useStudio.getState().setThemePreference(theme);

performance.mark('harness:generate-start');
const main = generateTrace({ spans: spanCount, shape, seed });
performance.mark('harness:generate-end');
// A handful of small traces so the Traces list and the Service map have something to show.
const extras = Array.from({ length: 14 }, (_, k) =>
  generateTrace({ spans: 12 + ((k * 53) % 300), shape: 'wide', seed: 1000 + k, errorRate: k % 4 === 0 ? 0.05 : 0, startUs: 1_763_800_000_000_000 - (k + 1) * 47_000_000 }),
);
const api = createDemoApi([main, ...extras]);
installHarnessProbe({ spans: spanCount, shape });

createRoot(document.getElementById('root')!).render(
  <App api={api} banner={`HARNESS · synthetic demo data (${spanCount.toLocaleString()} spans, ${shape}) — not a real back end`} />,
);

if (view === 'trace') {
  performance.mark('harness:open-start');
  void useStudio.getState().openTrace(api, main[0]!.traceId);
} else if (view === 'traces' || view === 'service-map' || view === 'tests') {
  useStudio.getState().setView(view);
}
