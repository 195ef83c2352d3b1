import { timeAxis } from './axis';

/**
 * The frame the viewer's plots share, in SVG units (the plots scale to their width): labels on the left, a
 * margin on the right (the scale bar's), time across the rest, so the trace, the overview and the raster line up.
 */
export const FRAME = { width: 1000, left: 96, right: 80 } as const;
export const PLOT_WIDTH = FRAME.width - FRAME.left - FRAME.right;
/** Height under a plot taken by its time axis. */
export const AXIS_HEIGHT = 40;

/** Where time `t` falls across a plot showing [start, end). */
export const xOfTime = (t: number, start: number, end: number) => FRAME.left + ((t - start) / (end - start)) * PLOT_WIDTH;

/** The fraction of the way across the plot of a pointer at `clientX` over an element `box` wide. */
export function fractionAcross(clientX: number, box: DOMRect): number {
  return ((clientX - box.left) * (FRAME.width / box.width) - FRAME.left) / PLOT_WIDTH;
}

/** Where a click on a plot of [start, end) moves a window `duration` long: centred on the time under it; null off the plot. */
export function windowStartAt(clientX: number, box: DOMRect, start: number, end: number, duration: number): number | null {
  const f = fractionAcross(clientX, box);
  return f < 0 || f > 1 ? null : start + f * (end - start) - duration / 2;
}

/** The trace's window [t, t + d) shaded over a plot of [start, end) `height` tall. */
export function WindowShade(props: { start: number; end: number; t: number; d: number; height: number; testId: string }) {
  const from = Math.max(FRAME.left, xOfTime(props.t, props.start, props.end));
  const to = Math.min(FRAME.left + PLOT_WIDTH, xOfTime(props.t + props.d, props.start, props.end));
  return (
    <rect
      className="window"
      data-testid={props.testId}
      data-start={props.t}
      data-end={props.t + props.d}
      x={from}
      width={Math.max(2, to - from)}
      y={0}
      height={props.height}
    />
  );
}

/** A time axis under a plot of [start, end): the line, ticks with their labels, and its title with the unit. */
export function TimeAxis({ start, end, top, testId }: { start: number; end: number; top: number; testId: string }) {
  const axis = timeAxis(start, end);
  const x = (t: number) => xOfTime(t, start, end);
  return (
    <g className="time-axis">
      <line x1={FRAME.left} x2={FRAME.left + PLOT_WIDTH} y1={top} y2={top} />
      {axis.ticks.map((t) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={top} y2={top + 5} />
          <text x={x(t)} y={top + 17} textAnchor="middle" data-testid={`${testId}-tick`}>
            {axis.label(t)}
          </text>
        </g>
      ))}
      <text x={FRAME.left + PLOT_WIDTH / 2} y={top + AXIS_HEIGHT - 4} textAnchor="middle" className="axis-title" data-testid={`${testId}-axis-title`}>
        time ({axis.unit})
      </text>
    </g>
  );
}
