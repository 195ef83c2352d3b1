'use client';

import { useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import type { H5Client } from '@/viewer/client';
import type { ChannelInfo } from '@/viewer/channels';
import { readWaveformMean, readWindow, sampleAt, unitChannel, type SeriesInfo, type Units } from '@/viewer/nwb';
import { firingRate, isiHistogram, meanOf, orderUnits, REFRACTORY_MS, type UnitOrder } from '@/viewer/spikes';
import { timeAxis } from './axis';
import { AXIS_HEIGHT, FRAME, PLOT_WIDTH, TimeAxis, WindowShade, windowStartAt } from './time-axis';
import type { ViewState } from './view-state';

const { width: WIDTH, left: LEFT } = FRAME;
const AXIS = AXIS_HEIGHT;
const RATE_BINS = 100;
// Snippets averaged into a waveform when the file has none: spikes in the trace's window first.
const SNIPPETS = 20;
const SNIPPET_MS = 1.5;

const ORDERS: { value: UnitOrder; label: string }[] = [
  { value: 'id', label: 'id' },
  { value: 'electrode', label: 'electrode' },
  { value: 'depth', label: 'depth' },
  { value: 'rate', label: 'firing rate' },
];

/**
 * The Units table: a raster over the whole recording with the trace's window shaded (click to move the trace
 * there and to choose the unit under the pointer), units in the order asked, and the chosen unit's firing
 * rate over time, interval histogram and waveform.
 */
export function SpikesView({
  client,
  units,
  channels,
  series,
  view,
  onView,
}: {
  client: H5Client;
  units: Units;
  /** What each channel of the series is: where a unit's electrodes row is recorded. */
  channels: ChannelInfo[] | null;
  /** The recording the trace shows: its span is the raster's, its channels give waveforms from snippets. */
  series: SeriesInfo | null;
  view: ViewState;
  onView: (view: ViewState) => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [order, setOrder] = useState<UnitOrder>('id');
  const [chosen, setChosen] = useState<number | null>(null);
  const rows = useMemo(() => orderUnits(units, order), [units, order]);
  const spikeCount = units.spikeTimes.reduce((n, s) => n + s.length, 0);
  const [start, end] = spanOf(units, series);
  const row = Math.max(3, Math.min(14, Math.floor(600 / Math.max(1, rows.length))));
  const height = rows.length * row + AXIS;

  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx || !canvas.current) return;
    ctx.clearRect(0, 0, canvas.current.width, canvas.current.height);
    rows.forEach((unit, r) => {
      ctx.fillStyle = unit === chosen ? '#b35900' : '#0b6bcb';
      for (const t of units.spikeTimes[unit]!) ctx.fillRect(LEFT + ((t - start) / (end - start)) * PLOT_WIDTH, r * row + 1, 1, Math.max(1, row - 2));
    });
  }, [units, rows, row, start, end, chosen]);

  const onClick = (event: MouseEvent<HTMLElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const y = (event.clientY - box.top) * (height / box.height);
    const unit = rows[Math.floor(y / row)];
    if (unit !== undefined && y < rows.length * row) setChosen(unit);
    const t = windowStartAt(event.clientX, box, start, end, view.d);
    if (t !== null) onView({ ...view, t });
  };

  return (
    <section className="spikes-view">
      <h2>
        Units{' '}
        <span className="muted">
          {units.ids.length.toLocaleString('en-US')} units, {spikeCount.toLocaleString('en-US')} spikes
        </span>
      </h2>
      <div className="trace-controls">
        <label>
          order by{' '}
          <select value={order} onChange={(e) => setOrder(e.target.value as UnitOrder)} data-testid="unit-order">
            {ORDERS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          unit{' '}
          <select value={chosen ?? ''} onChange={(e) => setChosen(e.target.value === '' ? null : Number(e.target.value))} data-testid="unit-choice">
            <option value="">none</option>
            {rows.map((u) => (
              <option key={u} value={u}>
                {units.ids[u]}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">or click the raster: the trace moves there, and the unit under the pointer is chosen</span>
      </div>
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: keys have the same: the trace's arrows move in time, the unit list chooses */}
      <figure
        className="raster-plot"
        data-testid="raster"
        data-units={units.ids.length}
        data-spikes={spikeCount}
        data-order={rows.map((u) => units.ids[u]).join(',')}
        onClick={onClick}
        style={{ aspectRatio: `${WIDTH} / ${height}` }}
      >
        <canvas ref={canvas} width={WIDTH} height={height} />
        <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img">
          <title>Spike raster: one row per unit, time across</title>
          <WindowShade start={start} end={end} t={view.t} d={view.d} height={rows.length * row} testId="raster-window" />
          {row >= 10 &&
            rows.map((unit, r) => (
              <text key={unit} x={LEFT - 6} y={r * row + row - 3} textAnchor="end" className={unit === chosen ? 'chosen' : undefined}>
                {units.ids[unit]}
              </text>
            ))}
          <TimeAxis start={start} end={end} top={height - AXIS} testId="raster" />
        </svg>
      </figure>
      {chosen !== null && (
        <UnitDetail
          client={client}
          units={units}
          unit={chosen}
          channel={unitChannel(units, chosen, channels)}
          series={series}
          view={view}
          span={[start, end]}
        />
      )}
    </section>
  );
}

/** The raster's span: the recording's, else from the first spike to the last. */
function spanOf(units: Units, series: SeriesInfo | null): [number, number] {
  if (series?.rate) return [series.startingTime, series.startingTime + series.samples / series.rate];
  let first = Infinity;
  let last = -Infinity;
  for (const spikes of units.spikeTimes) {
    if (spikes.length === 0) continue;
    first = Math.min(first, spikes[0]!);
    last = Math.max(last, spikes[spikes.length - 1]!);
  }
  return Number.isFinite(first) && last > first ? [first, last] : [0, 1];
}

type Waveform = { values: Float32Array; source: string; rate: number | null } | { missing: string };

/** One unit: its firing rate over the recording, the histogram of its intervals, and its waveform. */
function UnitDetail({
  client,
  units,
  unit,
  channel,
  series,
  view,
  span,
}: {
  client: H5Client;
  units: Units;
  unit: number;
  /** The series channel the unit is on, if known. */
  channel: number | null;
  series: SeriesInfo | null;
  view: ViewState;
  span: [number, number];
}) {
  const spikes = units.spikeTimes[unit]!;
  const rates = firingRate(spikes, span[0], span[1], RATE_BINS);
  const isi = isiHistogram(spikes);
  const [waveform, setWaveform] = useState<Waveform | null>(null);

  useEffect(() => {
    let live = true;
    setWaveform(null);
    (async (): Promise<Waveform> => {
      const mean = await readWaveformMean(client, units, unit).catch(() => null);
      if (mean) return { values: mean, source: 'waveform_mean, from the file', rate: null };
      if (!series?.rate || channel === null || channel >= series.channels)
        return { missing: 'the file has no waveform_mean, and no channel to cut snippets from' };
      const inWindow = Array.from(spikes).filter((t) => t >= view.t && t < view.t + view.d);
      const times = (inWindow.length >= 5 ? inWindow : Array.from(spikes)).slice(0, SNIPPETS);
      const half = Math.round((SNIPPET_MS / 1000) * series.rate);
      const snippets: Float32Array[] = [];
      for (const t of times) {
        // A newer unit or window: the worker has the trace's reads to do instead.
        if (!live) return { missing: 'superseded' };
        const at = await sampleAt(client, series, t);
        if (at - half < 0 || at + half > series.samples) continue;
        const window = await readWindow(client, series, at - half, 2 * half, [channel]);
        snippets.push(window.channels[0]!);
      }
      const values = meanOf(snippets);
      if (!values) return { missing: 'no spike of this unit lies far enough inside the recording' };
      return { values, source: `mean of ${snippets.length} snippets of channel ${channel} around its spikes`, rate: series.rate };
    })()
      .then((w) => live && setWaveform(w))
      .catch((e: unknown) => live && setWaveform({ missing: e instanceof Error ? e.message : String(e) }));
    return () => {
      live = false;
    };
  }, [client, units, unit, series, channel, spikes, view.t, view.d]);

  const maxRate = Math.max(...rates, 1e-9);
  const maxCount = Math.max(...isi.counts, 1);
  return (
    <div className="unit-detail" data-testid="unit-detail" data-unit={units.ids[unit]}>
      <h3>
        Unit {units.ids[unit]}{' '}
        <span className="muted">
          {spikes.length.toLocaleString('en-US')} spikes, {(spikes.length / (span[1] - span[0])).toFixed(2)} Hz
          {channel !== null ? `, channel ${channel}` : ''}
          {units.depth[unit] !== null ? `, depth ${units.depth[unit]}` : ''}
        </span>
      </h3>
      <div className="unit-charts">
        <MiniChart
          title="Firing rate over time"
          testId="unit-rate"
          xLabel={`time (${timeAxis(span[0], span[1]).unit})`}
          yLabel={`max ${maxRate.toFixed(1)} Hz`}
          points={Array.from(rates, (r, b) => [b / RATE_BINS, r / maxRate])}
          bars={false}
          ticks={(() => {
            const axis = timeAxis(span[0], span[1], 4);
            return axis.ticks.map((t) => ({ at: (t - span[0]) / (span[1] - span[0]), label: axis.label(t) }));
          })()}
        />
        <MiniChart
          title="Intervals between spikes"
          testId="unit-isi"
          xLabel="interval (ms)"
          yLabel={`${isi.refractoryViolations.toLocaleString('en-US')} under ${REFRACTORY_MS} ms (${((100 * isi.refractoryViolations) / Math.max(1, isi.intervals)).toFixed(1)} %)`}
          points={Array.from(isi.counts, (c, b) => [b / isi.counts.length, c / maxCount])}
          bars
          ticks={[0, 25, 50, 75, 100].map((ms) => ({ at: ms / (isi.counts.length * isi.binMs), label: String(ms) }))}
        />
        {waveform === null ? (
          <p className="muted">Reading the waveform…</p>
        ) : 'missing' in waveform ? (
          <p className="muted" data-testid="unit-waveform-missing">
            No waveform: {waveform.missing}.
          </p>
        ) : (
          <WaveformChart waveform={waveform} />
        )}
      </div>
    </div>
  );
}

function WaveformChart({ waveform }: { waveform: { values: Float32Array; source: string; rate: number | null } }) {
  const { values } = waveform;
  const low = Math.min(...values);
  const high = Math.max(...values);
  const range = Math.max(1e-12, high - low);
  const ms = waveform.rate ? (values.length / waveform.rate) * 1000 : null;
  return (
    <MiniChart
      title="Waveform"
      testId="unit-waveform"
      caption={waveform.source}
      xLabel={ms !== null ? `${ms.toFixed(1)} ms` : `${values.length} samples`}
      yLabel={`${range.toPrecision(3)} peak to peak`}
      points={Array.from(values, (v, i) => [i / Math.max(1, values.length - 1), (v - low) / range])}
      bars={false}
      ticks={[]}
    />
  );
}

const CHART_WIDTH = 300;
const CHART_HEIGHT = 150;
const PAD = 32;

/** A small chart of points in [0, 1]², as an SVG with its title and axis labels as text. */
function MiniChart(props: {
  title: string;
  testId: string;
  caption?: string;
  xLabel: string;
  yLabel: string;
  points: [number, number][];
  bars: boolean;
  ticks: { at: number; label: string }[];
}) {
  const w = CHART_WIDTH - PAD;
  const h = CHART_HEIGHT - 2 * PAD;
  const x = (f: number) => PAD / 2 + f * w;
  const y = (f: number) => PAD + (1 - f) * h;
  const barWidth = Math.max(1, w / Math.max(1, props.points.length) - 0.5);
  return (
    <figure className="mini-chart" data-testid={props.testId} data-points={props.points.length}>
      <svg viewBox={`0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`} role="img">
        <title>{props.title}</title>
        <text x={PAD / 2} y={14} className="chart-title">
          {props.title}
        </text>
        <text x={PAD / 2} y={27} className="muted-text">
          {props.yLabel}
        </text>
        {props.bars ? (
          props.points.map(([px, py]) => <rect key={px} x={x(px)} y={y(py)} width={barWidth} height={Math.max(0, y(0) - y(py))} />)
        ) : (
          <polyline fill="none" points={props.points.map(([px, py]) => `${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(' ')} />
        )}
        <line x1={x(0)} x2={x(1)} y1={y(0)} y2={y(0)} />
        {props.ticks.map((t) => (
          <text key={t.label} x={x(t.at)} y={y(0) + 12} textAnchor="middle">
            {t.label}
          </text>
        ))}
        <text x={x(0.5)} y={CHART_HEIGHT - 2} textAnchor="middle">
          {props.xLabel}
        </text>
      </svg>
      {props.caption && <figcaption className="muted">{props.caption}</figcaption>}
    </figure>
  );
}
