'use client';

import { useEffect, useRef, useState, type PointerEvent } from 'react';
import { describeChannel, type ChannelInfo } from '@/viewer/channels';
import type { H5Client } from '@/viewer/client';
import { readWindow, sampleAt, unitChannel, type SeriesInfo, type Units } from '@/viewer/nwb';
import { MAX_CHANNELS_SHOWN, shownChannels, type ViewState } from './view-state';

const SIZE = 420;
const PAD = 16;
// RMS over every channel reads the window for all of them: at most this much, else the window's start.
const RMS_BUDGET_BYTES = 16 * 1024 * 1024;

type ColourBy = 'rms' | 'spikes';
type Values = { values: (number | null)[]; what: string } | { error: string };

/** Dark blue to yellow, the ends of viridis: readable on light and dark pages, and in grey. */
function colour(f: number): string {
  const stops = [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37],
  ];
  const at = Math.min(1, Math.max(0, f)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(at));
  const mix = stops[i]!.map((v, k) => Math.round(v + (stops[i + 1]![k]! - v) * (at - i)));
  return `rgb(${mix.join(',')})`;
}

/**
 * The electrodes at their positions on the array, coloured by a value over the trace's window (the RMS of
 * each channel, or its units' spikes); click an electrode, or drag a box, to choose the channels the trace shows.
 */
export function ElectrodeMap({
  client,
  series,
  channels,
  units,
  view,
  onView,
}: {
  client: H5Client;
  series: SeriesInfo;
  channels: ChannelInfo[];
  units: Units | null;
  view: ViewState;
  onView: (view: ViewState) => void;
}) {
  const placed = channels.map((c, index) => ({ ...c, index })).filter((c) => c.x !== null && c.y !== null);
  const canCountSpikes = units?.ids.some((_, u) => unitChannel(units, u, channels) !== null) ?? false;
  const [by, setBy] = useState<ColourBy>(canCountSpikes ? 'spikes' : 'rms');
  const [values, setValues] = useState<Values | null>(null);
  const [box, setBox] = useState<{ x0: number; y0: number; x1: number; y1: number } | null>(null);
  const svg = useRef<SVGSVGElement>(null);

  const anyPlaced = placed.length > 0;
  useEffect(() => {
    // Nothing is drawn without positions: nothing to read.
    if (!anyPlaced) return;
    let live = true;
    setValues(null);
    (async (): Promise<Values> => {
      if (by === 'spikes' && units) {
        const counts: (number | null)[] = channels.map(() => 0);
        units.spikeTimes.forEach((spikes, u) => {
          const channel = unitChannel(units, u, channels);
          if (channel === null || channel >= counts.length) return;
          for (const t of spikes) if (t >= view.t && t < view.t + view.d) counts[channel] = (counts[channel] ?? 0) + 1;
        });
        return { values: counts, what: 'spikes of the units on each channel in the window' };
      }
      const first = await sampleAt(client, series, view.t);
      const wanted = series.rate ? Math.max(1, Math.round(view.d * series.rate)) : 1;
      const fits = Math.max(1, Math.floor(RMS_BUDGET_BYTES / (series.channels * 8)));
      const count = Math.min(wanted, fits);
      const window = await readWindow(
        client,
        series,
        first,
        count,
        channels.map((_, i) => i),
      );
      const rms = window.channels.map((c) => {
        const mean = c.reduce((s, v) => s + v, 0) / Math.max(1, c.length);
        return Math.sqrt(c.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, c.length));
      });
      const seconds = series.rate ? count / series.rate : 0;
      return {
        values: rms,
        what:
          count < wanted ? `RMS over the first ${seconds.toPrecision(3)} s of the window (${window.unit})` : `RMS over the window (${window.unit})`,
      };
    })()
      .then((v) => live && setValues(v))
      .catch((e: unknown) => live && setValues({ error: e instanceof Error ? e.message : String(e) }));
    return () => {
      live = false;
    };
  }, [client, series, channels, units, by, view.t, view.d, anyPlaced]);

  if (placed.length === 0) return null;
  const xs = placed.map((c) => c.x!);
  const ys = placed.map((c) => c.y!);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const span = Math.max(maxX - minX, maxY - minY, 1e-9);
  const scale = (SIZE - 2 * PAD) / span;
  const px = (x: number) => PAD + (x - minX) * scale;
  const py = (y: number) => PAD + (y - minY) * scale;
  const width = Math.max(2 * PAD + (maxX - minX) * scale, 60);
  const height = Math.max(2 * PAD + (maxY - minY) * scale, 60);
  const radius = Math.max(1.5, Math.min(8, (scale * span) / Math.sqrt(placed.length) / 3));
  const shown = new Set(shownChannels(view, series.channels));
  const known = values && 'values' in values ? values.values.filter((v): v is number => v !== null) : [];
  const [low, high] = [Math.min(...known, 0), Math.max(...known, 1e-12)];

  const toMap = (event: PointerEvent<SVGSVGElement>) => {
    const rect = svg.current!.getBoundingClientRect();
    return { x: ((event.clientX - rect.left) * width) / rect.width, y: ((event.clientY - rect.top) * height) / rect.height };
  };
  const onPointerDown = (event: PointerEvent<SVGSVGElement>) => {
    event.currentTarget.setPointerCapture(event.pointerId);
    const at = toMap(event);
    setBox({ x0: at.x, y0: at.y, x1: at.x, y1: at.y });
  };
  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    if (!box) return;
    const at = toMap(event);
    setBox({ ...box, x1: at.x, y1: at.y });
  };
  const onPointerUp = () => {
    if (!box) return;
    const [x0, x1] = [Math.min(box.x0, box.x1), Math.max(box.x0, box.x1)];
    const [y0, y1] = [Math.min(box.y0, box.y1), Math.max(box.y0, box.y1)];
    setBox(null);
    let chosen: number[];
    if (x1 - x0 < 3 && y1 - y0 < 3) {
      // A click: the nearest electrode.
      const nearest = placed.reduce((best, c) =>
        Math.hypot(px(c.x!) - x0, py(c.y!) - y0) < Math.hypot(px(best.x!) - x0, py(best.y!) - y0) ? c : best,
      );
      chosen = [nearest.index];
    } else {
      chosen = placed.filter((c) => px(c.x!) >= x0 && px(c.x!) <= x1 && py(c.y!) >= y0 && py(c.y!) <= y1).map((c) => c.index);
    }
    if (chosen.length) onView({ ...view, c: chosen.sort((a, b) => a - b).slice(0, MAX_CHANNELS_SHOWN) });
  };

  return (
    <section className="electrode-map">
      <h2>
        Electrodes <span className="muted">{placed.length.toLocaleString('en-US')} at their positions on the array</span>
      </h2>
      <div className="trace-controls">
        <label>
          colour by{' '}
          <select value={by} onChange={(e) => setBy(e.target.value as ColourBy)} data-testid="map-colour">
            <option value="rms">RMS over the window</option>
            {canCountSpikes && <option value="spikes">spikes in the window</option>}
          </select>
        </label>
        <span className="muted">click an electrode, or drag a box, to show those channels</span>
      </div>
      <figure className="map-plot">
        <svg
          ref={svg}
          viewBox={`0 0 ${width} ${height}`}
          style={{ maxWidth: `${width}px` }}
          role="img"
          data-testid="electrode-map"
          data-placed={placed.length}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
        >
          <title>Electrode map</title>
          {placed.map((c) => {
            const value = values && 'values' in values ? values.values[c.index] : null;
            return (
              <circle
                key={c.index}
                cx={px(c.x!)}
                cy={py(c.y!)}
                r={radius}
                fill={value === null || value === undefined ? 'var(--line)' : colour((value - low) / (high - low))}
                className={shown.has(c.index) ? 'shown' : undefined}
                data-channel={c.index}
                data-value={value ?? ''}
              >
                <title>{`${describeChannel(c, c.index)}${value !== null && value !== undefined ? ` · ${value.toPrecision(3)}` : ''}`}</title>
              </circle>
            );
          })}
          {box && (
            <rect
              className="selection"
              x={Math.min(box.x0, box.x1)}
              y={Math.min(box.y0, box.y1)}
              width={Math.abs(box.x1 - box.x0)}
              height={Math.abs(box.y1 - box.y0)}
            />
          )}
        </svg>
        <figcaption className="muted" data-testid="map-legend">
          {values === null
            ? 'Reading…'
            : 'error' in values
              ? values.error
              : `${values.what}: ${low.toPrecision(3)} (dark) to ${high.toPrecision(3)} (bright); the outlined electrodes are the trace's`}
        </figcaption>
      </figure>
    </section>
  );
}
