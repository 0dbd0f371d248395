// The bands as markup: one div per window in view (never per row), named and titled on the ruler, hidden
// from assistive tech behind the rows; nothing at all without a window in view.
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { FaultWindow } from '../../../shared/ipc/fault-window-schema';
import { FaultBands } from './FaultBands';

const S = 1_765_130_400_000_000;
const ns = (us: number): string => (BigInt(us) * 1000n).toString();
const pause: FaultWindow = { fault: 'container_pause', service: 'db', serviceName: 'db', params: '', path: 'p', source: 'scenario', startUnixNano: ns(S + 1_000_000), endUnixNano: ns(S + 3_000_000), executionId: 'exec00000001' };

describe('FaultBands', () => {
  it('draws a labelled band per window in view, placed in % of the axis', () => {
    const html = renderToStaticMarkup(<FaultBands windows={[pause, { ...pause, fault: 'container_stop' }]} fromUs={S} toUs={S + 4_000_000} labelled />);
    expect(html.match(/class="fault-band"/g)).toHaveLength(2);
    expect(html).toContain('role="list" aria-label="Fault windows"');
    expect(html).toContain('left:25%;width:max(2px, 50%)');
    expect(html).toMatch(/aria-label="Fault window: container_pause on db, from [^"]+ undone; scenario fault at p" title="container_pause on db/);
    expect(html).toContain('>⚡ container_pause<');
  });
  it('hides the bands behind the rows from assistive tech, and draws nothing without a window in view', () => {
    const behind = renderToStaticMarkup(<FaultBands windows={[pause]} fromUs={S} toUs={S + 4_000_000} labelled={false} />);
    expect(behind).toContain('aria-hidden="true"');
    expect(behind).not.toContain('title=');
    expect(renderToStaticMarkup(<FaultBands windows={[pause]} fromUs={S + 5_000_000} toUs={S + 6_000_000} labelled />)).toBe('');
  });
  it('marks a live fault still in as ongoing, running to the axis end', () => {
    const { endUnixNano: _, ...open } = pause;
    const html = renderToStaticMarkup(<FaultBands windows={[{ ...open, live: true }]} fromUs={S} toUs={S + 4_000_000} labelled />);
    expect(html).toContain('class="fault-band is-ongoing"');
    expect(html).toContain('left:25%;width:max(2px, 75%)');
    expect(html).toMatch(/aria-label="Fault window: container_pause on db, from .+ on, ongoing; scenario fault at p \(live\)"/);
  });
});
