// The inspector of the selected fault: its lane, start and duration, and its parameters from the
// catalog, each checked against the catalog's type and range as it is typed (the error beside the field).
// An empty parameter field means the catalog's default.
import type { Dispatch } from 'react';
import { checkValue } from '../../../shared/chaos/catalog';
import { describeRange, type FaultSpec, type ParameterSpec, type ParameterValue } from '../../../shared/chaos/fault-spec';
import type { TimelineBlock } from '../../../shared/chaos/timeline';
import type { EditAction } from './timeline-edit';

/** A block's parameter problems by name (unknown names included), for the fields and for Save. */
export function parameterErrors(block: TimelineBlock, spec: FaultSpec | undefined): Record<string, string> {
  if (!spec) return { fault: `${block.fault} is not in this file's catalog` };
  const errors: Record<string, string> = {};
  for (const name of Object.keys(block.params)) if (!spec.parameters.some((p) => p.name === name)) errors[name] = `${spec.id} has no parameter ${name}`;
  for (const p of spec.parameters) {
    const value = block.params[p.name] ?? ('default' in p ? p.default : undefined);
    if (value === undefined) {
      if (p.required) errors[p.name] = `needed: ${p.description}`;
      continue;
    }
    const error = checkValue(p, value);
    if (error) errors[p.name] = error;
  }
  return errors;
}

/** The typed text as the parameter's value: a number field's text that is no number stays text (and shows its error). */
function valueOf(p: ParameterSpec, text: string): ParameterValue {
  if (p.type === 'number') return text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
  if (p.type === 'bool') return text === 'true';
  return text;
}

interface Props {
  block: TimelineBlock;
  spec: FaultSpec | undefined;
  services: readonly string[];
  dispatch: Dispatch<EditAction>;
}

export function FaultInspector({ block, spec, services, dispatch }: Props) {
  const errors = parameterErrors(block, spec);
  const setParam = (name: string, value: ParameterValue | undefined) => {
    const params: Record<string, ParameterValue> = { ...block.params };
    if (value === undefined || value === '') delete params[name];
    else params[name] = value;
    dispatch({ type: 'params', id: block.id, params });
  };
  const seconds = (ms: number) => Number((ms / 1000).toFixed(3));
  return (
    <aside className="chaos-inspector" aria-label="Fault inspector">
      <h2 className="mono">{block.fault}</h2>
      {spec && <p className="faint">{spec.description}</p>}
      {spec && !spec.revertible && <p className="chaos-warn">Cannot be undone: {spec.revert}</p>}
      <label className="chaos-field">
        Lane
        <select className="input" value={block.service} onChange={(e) => dispatch({ type: 'lane', id: block.id, service: e.target.value })}>
          {services.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
      </label>
      <label className="chaos-field">
        Start (s)
        <input className="input" type="number" min={0} step={0.5} value={seconds(block.startMs)} onChange={(e) => e.target.value !== '' && dispatch({ type: 'move', id: block.id, deltaMs: Number(e.target.value) * 1000 - block.startMs })} />
      </label>
      <label className="chaos-field">
        Duration (s)
        <input className="input" type="number" min={0.5} step={0.5} value={seconds(block.durationMs)} onChange={(e) => e.target.value !== '' && dispatch({ type: 'resize', id: block.id, deltaMs: Number(e.target.value) * 1000 - block.durationMs })} />
      </label>
      {spec?.parameters.map((p) => (
        <ParameterField key={p.name} p={p} value={block.params[p.name]} error={errors[p.name]} onChange={(v) => setParam(p.name, v)} />
      ))}
      {Object.keys(errors)
        .filter((name) => !spec?.parameters.some((p) => p.name === name))
        .map((name) => (
          <p key={name} className="chaos-error" role="alert">
            {errors[name]}{' '}
            {name !== 'fault' && (
              <button className="btn btn-small" onClick={() => setParam(name, undefined)}>
                Remove {name}
              </button>
            )}
          </p>
        ))}
      <p className="faint chaos-keys">Arrows move, Shift+arrows resize, Alt+Up/Down change lane, Delete removes.</p>
      <button className="btn" onClick={() => dispatch({ type: 'remove', id: block.id })}>
        Remove fault
      </button>
    </aside>
  );
}

function ParameterField({ p, value, error, onChange }: { p: ParameterSpec; value: ParameterValue | undefined; error: string | undefined; onChange: (v: ParameterValue | undefined) => void }) {
  const id = `chaos-param-${p.name}`;
  const hint = `${p.description} (${describeRange(p)}${'default' in p && p.default !== undefined ? `; default ${String(p.default)}` : ''})`;
  const shown = value === undefined ? '' : String(value);
  const placeholder = 'default' in p && p.default !== undefined ? String(p.default) : '';
  return (
    <div className="chaos-field">
      <label htmlFor={id}>
        {p.name}
        {p.type === 'number' && p.unit ? ` (${p.unit})` : ''}
      </label>
      {p.type === 'enum' || p.type === 'bool' ? (
        <select id={id} className="input" value={shown} onChange={(e) => onChange(e.target.value === '' ? undefined : valueOf(p, e.target.value))} aria-invalid={error !== undefined}>
          <option value="">{placeholder ? `default (${placeholder})` : '—'}</option>
          {(p.type === 'enum' ? p.values : ['true', 'false']).map((v) => (
            <option key={v}>{v}</option>
          ))}
        </select>
      ) : (
        <input id={id} className="input" value={shown} placeholder={placeholder} aria-invalid={error !== undefined} aria-describedby={`${id}-hint`} onChange={(e) => onChange(e.target.value === '' ? undefined : valueOf(p, e.target.value))} />
      )}
      <span id={`${id}-hint`} className={error ? 'chaos-error' : 'faint'} role={error ? 'alert' : undefined}>
        {error ?? hint}
      </span>
    </div>
  );
}
