'use client';

import { useEffect, useRef, useState, type MouseEvent } from 'react';
import { H5Client } from '@/viewer/client';
import type { SeriesInfo } from '@/viewer/nwb';
import { planOverview, readOverview, type Overview } from '@/viewer/overview';
import { AXIS_HEIGHT, FRAME, PLOT_WIDTH, TimeAxis, WindowShade, windowStartAt } from './time-axis';
import { shownChannels, type ViewState } from './view-state';

const { width: WIDTH, left: LEFT } = FRAME;
const AXIS = AXIS_HEIGHT;
const LANE = 14;
/** The overview draws the trace's first channels, at most this many. */
const OVERVIEW_CHANNELS = 16;
/**
 * A sampled overview is read by workers of its own, side by side: its windows are each a round trip to S3
 * (0.3 s on the lab's Ceph), and the trace's worker stays free for the trace. An overview of every sample
 * reads on in order, with read-ahead: the trace's worker does it, between the trace's own reads.
 */
const SAMPLING_WORKERS = 3;

/**
 * The whole recording at once, for the trace's channels: each pixel column's lowest and highest value, the
 * trace's window shaded; a click moves the trace there. Long recordings are sampled, and say so.
 */
export function OverviewView({
  client,
  fileUuid,
  series,
  waiting,
  view,
  onView,
}: {
  /** The trace's worker, and the file, which a sampled overview's own workers open again. */
  client: H5Client;
  fileUuid: string;
  /** A series with a rate. */
  series: SeriesInfo;
  /** True until it may read: its frame is drawn meanwhile. */
  waiting: boolean;
  view: ViewState;
  onView: (view: ViewState) => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [overview, setOverview] = useState<Overview | null>(null);
  const [progress, setProgress] = useState<[number, number] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const channels = shownChannels(view, series.channels).slice(0, OVERVIEW_CHANNELS);
  const channelsKey = channels.join(',');
  const rate = series.rate ?? 1;
  const start = series.startingTime;
  const end = start + series.samples / rate;
  const height = Math.max(1, channels.length) * LANE + AXIS;

  useEffect(() => {
    if (waiting) return;
    let live = true;
    setOverview(null);
    setError(null);
    const chosen = channelsKey.split(',').map(Number);
    const sampled = planOverview(series, chosen.at(-1)! - chosen[0]! + 1, PLOT_WIDTH).sampled;
    const workers = sampled ? Array.from({ length: SAMPLING_WORKERS }, () => H5Client.start()) : [];
    (async () => {
      // Readers 1, 2, 3 (of FILE_READERS): URLs of their own, beside the trace's (reader 0).
      await Promise.all(workers.map((worker, i) => worker.open(fileUuid, i + 1)));
      return readOverview(sampled ? workers : [client], series, chosen, PLOT_WIDTH, (done, total) => live && setProgress([done, total]));
    })()
      .then((read) => live && setOverview(read))
      .catch((e: unknown) => live && setError(e instanceof Error ? e.message : String(e)))
      .finally(() => {
        for (const worker of workers) worker.terminate();
      });
    return () => {
      live = false;
      for (const worker of workers) worker.terminate();
    };
  }, [client, fileUuid, series, channelsKey, waiting]);

  useEffect(() => {
    if (overview && canvas.current) draw(canvas.current, overview);
  }, [overview]);

  const onClick = (event: MouseEvent<HTMLElement>) => {
    const t = windowStartAt(event.clientX, event.currentTarget.getBoundingClientRect(), start, end, view.d);
    if (t !== null) onView({ ...view, t });
  };
  const windowSeconds = overview?.windowSamples ? overview.windowSamples / rate : null;
  return (
    <section className="overview-view">
      <h3>
        Whole recording{' '}
        <span className="muted" data-testid="overview-status">
          {error
            ? `could not be read: ${error}`
            : !overview
              ? progress
                ? `reading ${progress[0]} of ${progress[1]} pieces…`
                : 'reading…'
              : overview.sampled
                ? `sampled: ${overview.windows} evenly spaced windows of ${windowSeconds!.toPrecision(3)} s, not every sample`
                : 'lowest and highest of every sample, per pixel'}
        </span>
      </h3>
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: the trace's keys move the window; this is a shortcut for the pointer */}
      <figure
        className="overview-plot"
        data-testid="overview"
        data-sampled={overview ? String(overview.sampled) : undefined}
        data-columns={overview?.columns}
        onClick={onClick}
        style={{ aspectRatio: `${WIDTH} / ${height}` }}
      >
        <canvas ref={canvas} width={WIDTH} height={height} />
        <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img">
          <title>Overview of the whole recording; the trace's window is shaded</title>
          <WindowShade start={start} end={end} t={view.t} d={view.d} height={channels.length * LANE} testId="overview-window" />
          <TimeAxis start={start} end={end} top={height - AXIS} testId="overview" />
        </svg>
      </figure>
    </section>
  );
}

/** Each channel's envelope in its lane, on one scale: the largest spread of any channel around its middle. */
function draw(canvas: HTMLCanvasElement, overview: Overview): void {
  const ctx = canvas.getContext('2d')!;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const middles = overview.min.map((low, i) => {
    let sum = 0;
    let n = 0;
    for (let c = 0; c < overview.columns; c++) {
      if (Number.isNaN(low[c]!)) continue;
      sum += (low[c]! + overview.max[i]![c]!) / 2;
      n++;
    }
    return n ? sum / n : 0;
  });
  let spread = 1e-12;
  overview.min.forEach((low, i) => {
    for (let c = 0; c < overview.columns; c++) {
      if (!Number.isNaN(low[c]!)) spread = Math.max(spread, middles[i]! - low[c]!, overview.max[i]![c]! - middles[i]!);
    }
  });
  const scale = (LANE / 2 - 1) / spread;
  ctx.fillStyle = overview.sampled ? '#7a9cc6' : '#0b6bcb';
  overview.min.forEach((low, i) => {
    const mid = i * LANE + LANE / 2;
    for (let c = 0; c < overview.columns; c++) {
      if (Number.isNaN(low[c]!)) continue;
      const top = mid - (overview.max[i]![c]! - middles[i]!) * scale;
      const bottom = mid - (low[c]! - middles[i]!) * scale;
      ctx.fillRect(LEFT + c, top, 1, Math.max(1, bottom - top));
    }
  });
}
