'use client';

import { useEffect, useRef, useState } from 'react';
import { ViewerError, type H5Client } from '@/viewer/client';
import { readWindow, sampleAt, type SeriesInfo, type TraceWindow } from '@/viewer/nwb';
import type { ViewState } from './view-state';

const LANE_HEIGHT = 36;
const WIDTH = 1000;
const LEFT = 48;
// Values exposed to tests and scripts per channel (data-values), enough to compare with the file.
const EXPOSED_SAMPLES = 100;

/** A multi-channel trace view of a time × channels series: a window in time and a range of channels. */
export function TraceView({
  client,
  series,
  view,
  onView,
  onSettled,
}: {
  client: H5Client;
  series: SeriesInfo;
  view: ViewState;
  onView: (view: ViewState) => void;
  /** Called when a window has been drawn or has failed. */
  onSettled: () => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [trace, setTrace] = useState<TraceWindow | null>(null);
  const [error, setError] = useState<string | null>(null);
  const firstChannel = Math.min(view.ch, series.channels - 1);
  const channelCount = Math.min(view.n, series.channels - firstChannel);

  useEffect(() => {
    let live = true;
    (async () => {
      const first = await sampleAt(client, series, view.t);
      const last = series.rate !== null ? first + Math.max(1, Math.round(view.d * series.rate)) : await sampleAt(client, series, view.t + view.d);
      const window = await readWindow(client, series, first, Math.max(1, last - first), firstChannel, channelCount);
      if (live) {
        setTrace(window);
        setError(null);
      }
    })()
      .catch((e: unknown) => live && setError(e instanceof ViewerError || e instanceof Error ? e.message : String(e)))
      .finally(() => live && onSettled());
    return () => {
      live = false;
    };
  }, [client, series, view.t, view.d, firstChannel, channelCount, onSettled]);

  useEffect(() => {
    if (trace && canvas.current) draw(canvas.current, trace, firstChannel);
  }, [trace, firstChannel]);

  const move = (change: Partial<ViewState>) => onView({ ...view, ...change });
  const duration = series.rate !== null ? series.samples / series.rate : null;
  return (
    <section className="trace-view">
      <h2>
        {series.path}{' '}
        <span className="muted">
          {series.neurodataType}, {series.samples.toLocaleString('en-US')} samples × {series.channels} channels
          {series.rate ? `, ${series.rate} Hz` : ''}
        </span>
      </h2>
      <div className="trace-controls">
        <button type="button" onClick={() => move({ t: view.t - view.d })} aria-label="earlier">
          ◀
        </button>
        <button type="button" onClick={() => move({ t: view.t + view.d })} aria-label="later">
          ▶
        </button>
        <button type="button" onClick={() => move({ d: view.d / 2 })}>
          zoom in
        </button>
        <button type="button" onClick={() => move({ d: view.d * 2 })}>
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
            min="0.0001"
            value={view.d}
            onChange={(e) => move({ d: Math.max(1e-4, Number(e.target.value) || view.d) })}
          />
        </label>
        <button type="button" onClick={() => move({ ch: Math.max(0, view.ch - view.n) })} aria-label="previous channels">
          ▲
        </button>
        <button type="button" onClick={() => move({ ch: Math.min(series.channels - 1, view.ch + view.n) })} aria-label="next channels">
          ▼
        </button>
        <label>
          channels from{' '}
          <input type="number" min="0" value={firstChannel} onChange={(e) => move({ ch: Math.max(0, Math.floor(Number(e.target.value) || 0)) })} />
        </label>
        <label>
          count{' '}
          <input
            type="number"
            min="1"
            max="256"
            value={view.n}
            onChange={(e) => move({ n: Math.min(256, Math.max(1, Math.floor(Number(e.target.value) || 1))) })}
          />
        </label>
        {duration !== null && <span className="muted">recording {duration.toFixed(2)} s</span>}
      </div>
      {error && (
        <p className="error" data-testid="trace-error">
          {error}
        </p>
      )}
      <canvas
        ref={canvas}
        data-testid="trace"
        data-channels={trace?.channels.length ?? 0}
        data-first-sample={trace?.first ?? ''}
        data-unit={trace?.unit ?? ''}
        data-values={trace ? JSON.stringify(trace.channels.map((c) => Array.from(c.subarray(0, EXPOSED_SAMPLES)))) : ''}
        width={WIDTH}
        height={Math.max(1, channelCount) * LANE_HEIGHT + 24}
        onWheel={(e) => move({ t: view.t + (Math.sign(e.deltaY) * view.d) / 4 })}
      />
    </section>
  );
}

/** Each channel in its lane, all on one scale (the largest deviation from any lane's mean), min/max per pixel. */
function draw(canvas: HTMLCanvasElement, trace: TraceWindow, firstChannel: number): void {
  const ctx = canvas.getContext('2d')!;
  const width = canvas.width - LEFT;
  const samples = trace.times.length;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const style = getComputedStyle(canvas);
  ctx.font = '11px system-ui, sans-serif';
  const means = trace.channels.map((c) => c.reduce((s, v) => s + v, 0) / Math.max(1, c.length));
  let spread = 1e-12;
  trace.channels.forEach((c, i) => {
    for (const v of c) spread = Math.max(spread, Math.abs(v - means[i]!));
  });
  const scale = (LANE_HEIGHT / 2 - 2) / spread;
  trace.channels.forEach((values, lane) => {
    const mid = lane * LANE_HEIGHT + LANE_HEIGHT / 2;
    ctx.fillStyle = style.color;
    ctx.fillText(String(firstChannel + lane), 4, mid + 4);
    ctx.strokeStyle = lane % 2 ? '#0b6bcb' : '#b35900';
    ctx.beginPath();
    const perPixel = samples / width;
    for (let x = 0; x < Math.min(width, samples); x++) {
      const from = Math.floor(x * perPixel);
      const to = Math.max(from + 1, Math.floor((x + 1) * perPixel));
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = from; i < to && i < samples; i++) {
        lo = Math.min(lo, values[i]!);
        hi = Math.max(hi, values[i]!);
      }
      const px = LEFT + (samples >= width ? x : (x / Math.max(1, samples - 1)) * width);
      ctx.lineTo(px, mid - (hi - means[lane]!) * scale);
      if (lo !== hi) ctx.lineTo(px, mid - (lo - means[lane]!) * scale);
    }
    ctx.stroke();
  });
  const axis = trace.channels.length * LANE_HEIGHT + 16;
  ctx.fillStyle = style.color;
  const t0 = trace.times[0] ?? 0;
  const t1 = trace.times[samples - 1] ?? t0;
  ctx.fillText(`${t0.toFixed(4)} s`, LEFT, axis);
  ctx.fillText(`${t1.toFixed(4)} s`, canvas.width - 70, axis);
  ctx.fillText(`scale ±${spread.toPrecision(3)} ${trace.unit}`, LEFT + width / 2 - 40, axis);
}
