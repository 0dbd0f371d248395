// The palette of faults from the file's catalog, by family: drag one onto a lane, or press it to add it
// to the selected block's lane (the first lane without a selection) where the steady state ends.
import { useState, type Dispatch } from 'react';
import type { FaultSpec } from '../../../shared/chaos/fault-spec';
import { FAULT_MIME } from './ChaosTimeline';
import type { EditAction, EditState } from './timeline-edit';

export function FaultPalette({ faults, services, state, dispatch }: { faults: readonly FaultSpec[]; services: readonly string[]; state: EditState; dispatch: Dispatch<EditAction> }) {
  const [filter, setFilter] = useState('');
  const needle = filter.trim().toLowerCase();
  const shown = faults.filter((f) => needle === '' || f.id.includes(needle) || f.family.includes(needle) || f.description.toLowerCase().includes(needle));
  const lane = state.timeline.blocks.find((b) => b.id === state.selected)?.service ?? services[0];
  const families = [...new Set(shown.map((f) => f.family))];
  return (
    <aside className="chaos-palette" aria-label="Fault palette">
      <input className="input" type="search" placeholder="Filter faults" aria-label="Filter faults" value={filter} onChange={(e) => setFilter(e.target.value)} />
      {families.map((family) => (
        <section key={family} aria-label={`${family} faults`}>
          <h3 className="chaos-family">{family}</h3>
          <ul className="chaos-fault-list">
            {shown
              .filter((f) => f.family === family)
              .map((f) => (
                <li key={f.id}>
                  <button
                    className="chaos-fault mono"
                    draggable={f.injectable}
                    disabled={!f.injectable || lane === undefined}
                    title={`${f.description}${f.revertible ? '' : ' — cannot be undone'}${f.injectable ? '' : ' — declared in [chaos.catalog], no injector'}`}
                    aria-label={`Add ${f.id}${lane ? ` to ${lane}` : ''}`}
                    onDragStart={(e) => {
                      e.dataTransfer.setData(FAULT_MIME, f.id);
                      e.dataTransfer.effectAllowed = 'copy';
                    }}
                    onClick={() => lane !== undefined && dispatch({ type: 'add', fault: f.id, service: lane, atMs: state.timeline.steadyMs })}
                  >
                    {f.id}
                    {!f.revertible && <span className="chaos-irreversible"> ⚠</span>}
                  </button>
                </li>
              ))}
          </ul>
        </section>
      ))}
    </aside>
  );
}
