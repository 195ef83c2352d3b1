/** The viewer's state in the URL (`?path=…&t=…&d=…&ch=…&n=…`), so a view can be shared. */

export interface ViewState {
  /** The time series shown, e.g. /acquisition/ElectricalSeries. */
  path: string | null;
  /** Window start and duration, in seconds. */
  t: number;
  d: number;
  /** First channel and how many. */
  ch: number;
  n: number;
}

export const DEFAULT_VIEW: ViewState = { path: null, t: 0, d: 1, ch: 0, n: 16 };

const finite = (value: string | null, fallback: number, min: number, max: number) => {
  const n = value === null ? NaN : Number(value);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
};

export function parseViewState(params: URLSearchParams): ViewState {
  return {
    path: params.get('path')?.startsWith('/') ? params.get('path') : null,
    t: finite(params.get('t'), DEFAULT_VIEW.t, -1e9, 1e9),
    d: finite(params.get('d'), DEFAULT_VIEW.d, 1e-4, 3600),
    ch: Math.floor(finite(params.get('ch'), DEFAULT_VIEW.ch, 0, 1e6)),
    n: Math.floor(finite(params.get('n'), DEFAULT_VIEW.n, 1, 256)),
  };
}

export function viewStateQuery(view: ViewState): string {
  const params = new URLSearchParams();
  if (view.path) params.set('path', view.path);
  params.set('t', String(Number(view.t.toFixed(6))));
  params.set('d', String(Number(view.d.toFixed(6))));
  params.set('ch', String(view.ch));
  params.set('n', String(view.n));
  return params.toString();
}
