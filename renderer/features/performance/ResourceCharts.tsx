// A run's container CPU and memory over the run's own time axis (its start to its end), one line per
// service, so a latency change can be read against what the containers were doing.
import { AxisBottom, AxisLeft } from '@visx/axis';
import { Group } from '@visx/group';
import { ParentSize } from '@visx/responsive';
import { scaleLinear } from '@visx/scale';
import type { ContainerStatsRow } from '../../../shared/run/records';
import type { StudioApi } from '../../../shared/ipc/contract';
import { ErrorState, Loading } from '../../app/States';
import { useLoad } from './use-load';

const HEIGHT = 140;
const MARGIN = { top: 8, right: 16, bottom: 24, left: 64 };
const COLORS = ['#2f6fde', '#d97706', '#16a34a', '#9333ea', '#dc2626', '#0891b2'];

interface ChartProps {
  title: string;
  samples: readonly ContainerStatsRow[];
  value: (s: ContainerStatsRow) => number;
  format: (v: number) => string;
  from: number;
  to: number;
}

function ResourcePlot({ title, samples, value, format, from, to, width }: ChartProps & { width: number }) {
  const plotW = Math.max(0, width - MARGIN.left - MARGIN.right);
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = scaleLinear<number>({ domain: [0, Math.max(1, to - from) / 1000], range: [0, plotW] });
  const y = scaleLinear<number>({ domain: [0, Math.max(1e-9, ...samples.map(value)) * 1.1], range: [plotH, 0], nice: true });
  const services = [...new Set(samples.map((s) => s.service))].sort();
  return (
    <svg width={width} height={HEIGHT} role="img" aria-label={`${title} of ${services.join(', ')} over the run`}>
      <Group left={MARGIN.left} top={MARGIN.top}>
        <rect className="perf-plot-bg" width={plotW} height={plotH} />
        {services.map((service, k) => {
          const own = samples.filter((s) => s.service === service);
          const d = own.map((s, i) => `${i === 0 ? 'M' : 'L'}${x((s.at - from) / 1000).toFixed(1)},${y(value(s)).toFixed(1)}`).join(' ');
          return <path key={service} className="perf-resource-line" d={d} style={{ stroke: COLORS[k % COLORS.length] }} />;
        })}
        <AxisBottom top={plotH} scale={x} numTicks={6} tickFormat={(v) => `${Number(v)} s`} tickClassName="scatter-tick" axisClassName="scatter-axis" />
        <AxisLeft scale={y} numTicks={3} tickFormat={(v) => format(Number(v))} tickClassName="scatter-tick" axisClassName="scatter-axis" />
      </Group>
    </svg>
  );
}

function ResourceChart(props: ChartProps) {
  const services = [...new Set(props.samples.map((s) => s.service))].sort();
  return (
    <figure className="perf-resource">
      <figcaption>
        {props.title}{' '}
        {services.map((s, k) => (
          <span key={s} className="perf-legend" style={{ color: COLORS[k % COLORS.length] }}>
            ● {s}
          </span>
        ))}
      </figcaption>
      <ParentSize parentSizeStyles={{ width: '100%', height: HEIGHT }}>{({ width }) => (width > 0 ? <ResourcePlot {...props} width={width} /> : null)}</ParentSize>
    </figure>
  );
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MiB`;

export function ResourceCharts({ api, runId }: { api: StudioApi; runId: string }) {
  const loaded = useLoad(runId, () => api.runResources({ runId }));
  if (loaded.status === 'loading' || loaded.status === 'idle') return <Loading label="Reading the run's container samples…" />;
  if (loaded.status === 'error') return <ErrorState title="Could not read the run's container samples" problem={loaded.problem} />;
  const { samples, startedAt, endedAt } = loaded.value;
  if (samples.length === 0) {
    return <p className="faint">No container samples for this run: they are taken while a test with a [performance] section runs.</p>;
  }
  const to = Math.max(endedAt ?? 0, samples[samples.length - 1]!.at);
  return (
    <div className="perf-resources" aria-label="Container resources">
      <ResourceChart title="CPU (% of one core)" samples={samples} value={(s) => s.cpuPercent} format={(v) => `${v.toFixed(0)} %`} from={startedAt} to={to} />
      <ResourceChart title="Memory" samples={samples} value={(s) => s.memoryBytes} format={mib} from={startedAt} to={to} />
    </div>
  );
}
