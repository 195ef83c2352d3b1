'use client';

import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { channelGroups, describeChannel, type ChannelInfo } from '@/viewer/channels';
import { ViewerError, type H5Client } from '@/viewer/client';
import { readWindow, sampleAt, type SeriesInfo, type TraceWindow } from '@/viewer/nwb';
import type { ReadProgress } from '@/viewer/protocol';
import { formatAmount, scaleBar, timeAxis } from './axis';
import { AXIS_HEIGHT, FRAME, fractionAcross, PLOT_WIDTH, TimeAxis, xOfTime } from './time-axis';
import { MAX_CHANNELS_SHOWN, shownChannels, type ViewState } from './view-state';

const { width: WIDTH, left: LEFT, right: RIGHT } = FRAME;
const TOP = 6;
const AXIS = AXIS_HEIGHT;
const LANE_HEIGHT = 36;
// Values exposed to tests and scripts per channel (data-values), enough to compare with the file.
const EXPOSED_SAMPLES = 100;
// Wheel turns come in bursts: the view follows each, the read waits for the burst to end.
const WHEEL_SETTLE_MS = 150;
const MIN_DURATION = 1e-4;

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(bytes < 1e7 ? 2 : 1)} MB`;

/**
 * A multi-channel trace view of a time × channels series: a window in time and a set of channels, drawn on a
 * canvas under an SVG of its axes (ticks, gridlines, the amplitude scale bar, each channel's label), which is
 * text in the DOM. Drag to pan, wheel to zoom around the pointer, keys when focused.
 */
export function TraceView({
  client,
  series,
  channels,
  view,
  onView,
  onSettled,
}: {
  client: H5Client;
  series: SeriesInfo;
  /** What each channel is (the electrodes table), once read. */
  channels: ChannelInfo[] | null;
  view: ViewState;
  onView: (view: ViewState) => void;
  /** Called when a window has been drawn or has failed. */
  onSettled: () => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const plot = useRef<HTMLElement>(null);
  // The window read, with the span of time it was read for: a file may end before the window does.
  const [drawn, setDrawn] = useState<{ trace: TraceWindow; start: number; end: number } | null>(null);
  const trace = drawn?.trace ?? null;
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<ReadProgress | null>(null);
  const [loading, setLoading] = useState(false);
  // The view as the user is moving it: drawn at once (axes shift), read once the gesture ends.
  const [pending, setPending] = useState<ViewState | null>(null);
  const drag = useRef<{ x: number; view: ViewState } | null>(null);
  const wheelTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const shown = shownChannels(view, series.channels);
  const shownKey = shown.join(',');

  useEffect(() => {
    let live = true;
    const wanted = shownKey.split(',').map(Number);
    setLoading(true);
    setProgress(null);
    (async () => {
      const first = await sampleAt(client, series, view.t);
      const last = series.rate !== null ? first + Math.max(1, Math.round(view.d * series.rate)) : await sampleAt(client, series, view.t + view.d);
      const window = await readWindow(client, series, first, Math.max(1, last - first), wanted, (p) => live && setProgress(p));
      if (live) {
        setDrawn({ trace: window, start: view.t, end: view.t + view.d });
        setError(null);
      }
    })()
      .catch((e: unknown) => live && setError(e instanceof ViewerError || e instanceof Error ? e.message : String(e)))
      .finally(() => {
        if (!live) return;
        setLoading(false);
        onSettled();
      });
    return () => {
      live = false;
    };
  }, [client, series, view.t, view.d, shownKey, onSettled]);

  const visible = pending ?? view;
  // Until the window in view is read (during a gesture, or while it loads), the drawn one is moved and
  // stretched to where it belongs in it.
  const moved = drawn !== null && (drawn.start !== visible.t || drawn.end !== visible.t + visible.d);
  const shift = drawn && moved ? ((drawn.start - visible.t) / visible.d) * PLOT_WIDTH : 0;
  const stretch = drawn && moved ? (drawn.end - drawn.start) / visible.d : 1;

  useEffect(() => {
    if (drawn && canvas.current) draw(canvas.current, drawn.trace, drawn.start, drawn.end);
  }, [drawn]);

  const lanes = shown.length;
  const height = TOP + Math.max(1, lanes) * LANE_HEIGHT + AXIS;
  const axis = timeAxis(visible.t, visible.t + visible.d);
  const xOf = (seconds: number) => xOfTime(seconds, visible.t, visible.t + visible.d);
  const spread = trace ? spreadOf(trace) : null;
  const bar = spread ? scaleBar(spread.value / (LANE_HEIGHT / 2 - 2), LANE_HEIGHT * 1.5) : null;

  const move = (change: Partial<ViewState>) => onView({ ...view, ...change });
  const zoom = (factor: number, anchor = 0.5) => {
    const base = pending ?? view;
    const d = Math.max(MIN_DURATION, base.d * factor);
    const at = base.t + anchor * base.d;
    return { ...base, t: at - anchor * d, d };
  };

  // React's wheel listeners are passive: a zoom must keep the page from scrolling, so this one is not.
  const zoomRef = useRef(zoom);
  zoomRef.current = zoom;
  const onViewRef = useRef(onView);
  onViewRef.current = onView;
  useEffect(() => {
    const element = plot.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      // A sideways swipe scrolls the page as it would.
      if (event.deltaY === 0) return;
      event.preventDefault();
      const anchor = Math.min(1, Math.max(0, fractionAcross(event.clientX, element.getBoundingClientRect())));
      const next = zoomRef.current(event.deltaY > 0 ? 1.25 : 0.8, anchor);
      setPending(next);
      clearTimeout(wheelTimer.current);
      wheelTimer.current = setTimeout(() => {
        setPending(null);
        onViewRef.current(next);
      }, WHEEL_SETTLE_MS);
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  });
  useEffect(() => () => clearTimeout(wheelTimer.current), []);

  const onPointerDown = (event: PointerEvent<HTMLElement>) => {
    if (event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { x: event.clientX, view };
  };
  const dragged = (event: PointerEvent<HTMLElement>) => {
    const start = drag.current!;
    const box = event.currentTarget.getBoundingClientRect();
    const dt = (-(event.clientX - start.x) * (WIDTH / box.width) * start.view.d) / PLOT_WIDTH;
    return { ...start.view, t: start.view.t + dt };
  };
  const onPointerMove = (event: PointerEvent<HTMLElement>) => {
    if (drag.current) setPending(dragged(event));
  };
  const onPointerUp = (event: PointerEvent<HTMLElement>) => {
    if (!drag.current) return;
    const moved = Math.abs(event.clientX - drag.current.x) >= 3;
    const next = dragged(event);
    drag.current = null;
    setPending(null);
    if (moved) onView(next);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const next = keyedView(event.key, event.shiftKey);
    if (!next) return;
    event.preventDefault();
    onView(next);
  };
  /** What a key does to the view: arrows move in time (a quarter window, a whole one with Shift) and through channels. */
  const keyedView = (key: string, shift: boolean): ViewState | null => {
    const step = shift ? view.d : view.d / 4;
    switch (key) {
      case 'ArrowLeft':
        return { ...view, t: view.t - step };
      case 'ArrowRight':
        return { ...view, t: view.t + step };
      case '+':
      case '=':
        return zoom(0.5);
      case '-':
        return zoom(2);
      case 'ArrowUp':
        return { ...view, ch: Math.max(0, view.ch - view.n), c: null };
      case 'ArrowDown':
        return { ...view, ch: Math.min(series.channels - 1, view.ch + view.n), c: null };
      case 'Home':
        return { ...view, t: series.startingTime };
      default:
        return null;
    }
  };

  const groups = channelGroups(channels);
  const chosenGroup = view.c ? groups.find((g) => g.channels.join(',') === view.c!.join(','))?.name : undefined;
  const duration = series.rate !== null ? series.samples / series.rate : null;
  return (
    <section className="trace-view">
      <h2>
        {series.path}{' '}
        <span className="muted">
          {series.neurodataType}, {series.samples.toLocaleString('en-US')} samples × {series.channels.toLocaleString('en-US')} channels
          {series.rate ? `, ${series.rate.toLocaleString('en-US')} Hz` : ''}
          {duration !== null ? `, ${duration.toLocaleString('en-US', { maximumFractionDigits: 2 })} s` : ''}
        </span>
      </h2>
      <div className="trace-controls">
        <button type="button" onClick={() => move({ t: view.t - view.d })} aria-label="earlier">
          ◀
        </button>
        <button type="button" onClick={() => move({ t: view.t + view.d })} aria-label="later">
          ▶
        </button>
        <button type="button" onClick={() => onView(zoom(0.5))}>
          zoom in
        </button>
        <button type="button" onClick={() => onView(zoom(2))}>
          zoom out
        </button>
        <label>
          start (s) <input type="number" step="any" value={view.t} onChange={(e) => move({ t: Number(e.target.value) || 0 })} />
        </label>
        <label>
          duration (s){' '}
          <input
            type="number"
            step="any"
            min={MIN_DURATION}
            value={view.d}
            onChange={(e) => move({ d: Math.max(MIN_DURATION, Number(e.target.value) || view.d) })}
          />
        </label>
        <button type="button" onClick={() => move({ ch: Math.max(0, view.ch - view.n), c: null })} aria-label="previous channels">
          ▲
        </button>
        <button type="button" onClick={() => move({ ch: Math.min(series.channels - 1, view.ch + view.n), c: null })} aria-label="next channels">
          ▼
        </button>
        <label>
          channels from{' '}
          <input
            type="number"
            min="0"
            value={view.c ? (view.c[0] ?? 0) : Math.min(view.ch, series.channels - 1)}
            onChange={(e) => move({ ch: Math.max(0, Math.floor(Number(e.target.value) || 0)), c: null })}
          />
        </label>
        <label>
          count{' '}
          <input
            type="number"
            min="1"
            max={MAX_CHANNELS_SHOWN}
            value={view.c ? view.c.length : view.n}
            onChange={(e) => move({ n: Math.min(MAX_CHANNELS_SHOWN, Math.max(1, Math.floor(Number(e.target.value) || 1))), c: null })}
          />
        </label>
        {groups.length > 1 && (
          <label>
            group{' '}
            <select
              value={chosenGroup ?? ''}
              onChange={(e) => {
                const group = groups.find((g) => g.name === e.target.value);
                move({ c: group ? group.channels.slice(0, MAX_CHANNELS_SHOWN) : null });
              }}
            >
              <option value="">channels by number</option>
              {groups.map((g) => (
                <option key={g.name} value={g.name}>
                  {g.name} ({g.channels.length})
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {loading && progress && progress.fetched > 0 && (
        <p className="trace-progress" role="status" data-testid="trace-progress">
          <progress value={Math.min(progress.fetched, progress.planned)} max={Math.max(progress.fetched, progress.planned)} /> read{' '}
          {megabytes(progress.fetched)} of about {megabytes(Math.max(progress.fetched, progress.planned))} from S3
        </p>
      )}
      {error && (
        <p className="error" data-testid="trace-error">
          {error}
        </p>
      )}
      <figure
        ref={plot}
        className={loading ? 'trace-plot loading' : 'trace-plot'}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: focus gives the plot its keys (arrows pan, + and - zoom)
        tabIndex={0}
        aria-label={`Traces of ${lanes} channels from ${axis.label(visible.t)} to ${axis.label(visible.t + visible.d)} ${axis.unit}. Drag or ← → to move in time, wheel or + − to zoom, ↑ ↓ for other channels.`}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={() => {
          drag.current = null;
          setPending(null);
        }}
        onKeyDown={onKeyDown}
        style={{ aspectRatio: `${WIDTH} / ${height}` }}
      >
        <canvas
          ref={canvas}
          data-testid="trace"
          data-channels={trace?.channels.length ?? 0}
          data-first-sample={trace?.first ?? ''}
          data-unit={trace?.unit ?? ''}
          data-values={trace ? JSON.stringify(trace.channels.map((c) => Array.from(c.subarray(0, EXPOSED_SAMPLES)))) : ''}
          width={WIDTH}
          height={height}
          style={
            moved
              ? { transform: `translateX(${(shift / WIDTH) * 100}%) scaleX(${stretch})`, transformOrigin: `${(LEFT / WIDTH) * 100}% 0` }
              : undefined
          }
        />
        <svg className="trace-axes" data-testid="trace-axes" viewBox={`0 0 ${WIDTH} ${height}`} role="img">
          <title>Time axis, channel labels and amplitude scale</title>
          <g className="grid">
            {axis.ticks.map((t) => (
              <line key={t} x1={xOf(t)} x2={xOf(t)} y1={TOP} y2={height - AXIS} />
            ))}
          </g>
          <TimeAxis start={visible.t} end={visible.t + visible.d} top={height - AXIS} testId="time" />
          <g className="channel-labels">
            {shown.map((channel, lane) => {
              const info = channels?.[channel];
              return (
                <text key={channel} x={LEFT - 6} y={TOP + lane * LANE_HEIGHT + LANE_HEIGHT / 2 + 4} textAnchor="end" data-testid="channel-label">
                  <title>{info ? describeChannel(info, channel) : `channel ${channel}`}</title>
                  <tspan className="channel-name">{info?.label ?? channel}</tspan>
                </text>
              );
            })}
          </g>
          {bar && trace && (
            <g className="scale-bar" data-testid="scale-bar" data-microvolts={trace.unit === 'µV' ? bar.value : undefined}>
              <line
                x1={WIDTH - RIGHT + 14}
                x2={WIDTH - RIGHT + 14}
                y1={TOP + LANE_HEIGHT / 2 - bar.pixels / 2}
                y2={TOP + LANE_HEIGHT / 2 + bar.pixels / 2}
              />
              <text x={WIDTH - RIGHT + 20} y={TOP + LANE_HEIGHT / 2 + 4}>
                {formatAmount(bar.value, trace.unit)}
              </text>
            </g>
          )}
        </svg>
      </figure>
    </section>
  );
}

/** Every channel on one scale: the largest deviation from any channel's mean, and the means. */
function spreadOf(trace: TraceWindow): { value: number; means: number[] } {
  const means = trace.channels.map((c) => c.reduce((s, v) => s + v, 0) / Math.max(1, c.length));
  let value = 1e-12;
  trace.channels.forEach((c, i) => {
    for (const v of c) value = Math.max(value, Math.abs(v - means[i]!));
  });
  return { value, means };
}

/** Each channel in its lane, min/max per pixel column, samples placed by their time in [start, end). */
function draw(canvas: HTMLCanvasElement, trace: TraceWindow, start: number, end: number): void {
  const ctx = canvas.getContext('2d')!;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const { value: spread, means } = spreadOf(trace);
  const scale = (LANE_HEIGHT / 2 - 2) / spread;
  const span = Math.max(1e-12, end - start);
  const columns = PLOT_WIDTH;
  const low = new Float32Array(columns);
  const high = new Float32Array(columns);
  trace.channels.forEach((values, lane) => {
    low.fill(Infinity);
    high.fill(-Infinity);
    for (let i = 0; i < values.length; i++) {
      const x = Math.min(columns - 1, Math.max(0, Math.floor(((trace.times[i]! - start) / span) * columns)));
      low[x] = Math.min(low[x]!, values[i]!);
      high[x] = Math.max(high[x]!, values[i]!);
    }
    const mid = TOP + lane * LANE_HEIGHT + LANE_HEIGHT / 2;
    ctx.strokeStyle = lane % 2 ? '#0b6bcb' : '#b35900';
    ctx.beginPath();
    for (let x = 0; x < columns; x++) {
      if (high[x]! < low[x]!) continue; // no sample in this column (a zoomed-in window)
      const px = LEFT + x + 0.5;
      ctx.lineTo(px, mid - (high[x]! - means[lane]!) * scale);
      if (low[x] !== high[x]) ctx.lineTo(px, mid - (low[x]! - means[lane]!) * scale);
    }
    ctx.stroke();
  });
}
