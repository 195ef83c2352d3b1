'use client';

import { useEffect, useRef } from 'react';
import type { Units } from '@/viewer/nwb';

const ROW = 14;
const WIDTH = 1000;
const LEFT = 48;

/** A raster of the Units table's spike times: one row per unit over the whole recorded span. */
export function RasterView({ units }: { units: Units }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  let t0 = Infinity;
  let t1 = -Infinity;
  for (const spikes of units.spikeTimes) {
    for (const t of spikes) {
      t0 = Math.min(t0, t);
      t1 = Math.max(t1, t);
    }
  }
  const spikeCount = units.spikeTimes.reduce((n, s) => n + s.length, 0);

  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx || !canvas.current) return;
    const style = getComputedStyle(canvas.current);
    ctx.clearRect(0, 0, canvas.current.width, canvas.current.height);
    ctx.font = '11px system-ui, sans-serif';
    const span = Math.max(1e-9, t1 - t0);
    units.spikeTimes.forEach((spikes, row) => {
      ctx.fillStyle = style.color;
      ctx.fillText(String(units.ids[row] ?? row), 4, row * ROW + ROW - 3);
      ctx.fillStyle = '#0b6bcb';
      for (const t of spikes) ctx.fillRect(LEFT + ((t - t0) / span) * (WIDTH - LEFT - 1), row * ROW + 2, 1, ROW - 4);
    });
  }, [units, t0, t1]);

  return (
    <section className="raster-view">
      <h2>
        Units{' '}
        <span className="muted">
          {units.ids.length} units, {spikeCount.toLocaleString('en-US')} spikes,{' '}
          {Number.isFinite(t0) ? `${t0.toFixed(2)}–${t1.toFixed(2)} s` : 'no spikes'}
        </span>
      </h2>
      <canvas
        ref={canvas}
        data-testid="raster"
        data-units={units.ids.length}
        data-spikes={spikeCount}
        width={WIDTH}
        height={Math.max(1, units.ids.length) * ROW}
      />
    </section>
  );
}
