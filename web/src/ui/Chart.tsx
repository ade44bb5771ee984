// A time-series chart over uPlot. `data` is [x (unix seconds), ...series]; the chart is redrawn
// in place when data changes (no re-creation), resized with its container, and described for
// screen readers by `label` (and the page's own figures next to it).
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  color: string;
  /** Value formatter for the legend and the axis. */
  format?: (v: number) => string;
  /** Draw as steps (set-points, limits) instead of a line. */
  steps?: boolean;
  dash?: number[];
  fill?: string;
}

export function Chart(props: {
  label: string;
  series: ChartSeries[];
  data: (number | null)[][];
  height?: number;
  timeZone?: string;
  testId?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = props.series.map((s) => s.label).join('|');

  useEffect(() => {
    if (!host.current) return;
    const width = host.current.clientWidth || 600;
    const tz = props.timeZone;
    const opts: uPlot.Options = {
      width,
      height: props.height ?? 240,
      tzDate: tz ? (ts) => uPlot.tzDate(new Date(ts * 1000), tz) : undefined,
      series: [
        {},
        ...props.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          fill: s.fill,
          dash: s.dash,
          paths: s.steps ? uPlot.paths.stepped!({ align: 1 }) : undefined,
          value: s.format ? (_u: uPlot, v: number | null) => (v === null ? '–' : s.format!(v)) : undefined,
        })),
      ],
      axes: [{}, { values: props.series[0]?.format ? (_u, vals) => vals.map((v) => props.series[0].format!(v)) : undefined, size: 70 }],
      legend: { live: true },
    };
    plot.current = new uPlot(opts, props.data as uPlot.AlignedData, host.current);
    const observer = new ResizeObserver(() => {
      if (host.current && plot.current) plot.current.setSize({ width: host.current.clientWidth, height: props.height ?? 240 });
    });
    observer.observe(host.current);
    return () => {
      observer.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // Re-created only when the series change; data updates go through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape, props.timeZone]);

  useEffect(() => {
    plot.current?.setData(props.data as uPlot.AlignedData);
  }, [props.data]);

  return <div ref={host} role="img" aria-label={props.label} data-testid={props.testId} class="chart" />;
}
