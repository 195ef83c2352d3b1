/** The viewer's state in the URL (`?path=…&t=…&d=…&ch=…&n=…&c=…`), so a view can be shared. */

export interface ViewState {
  /** The time series shown, e.g. /acquisition/ElectricalSeries. */
  path: string | null;
  /** Window start and duration, in seconds. */
  t: number;
  d: number;
  /** First channel and how many. */
  ch: number;
  n: number;
  /** Channels chosen one by one (by group, on the electrode map), in ascending order; null: ch and n. */
  c: number[] | null;
}

/** The most channels a trace shows at once. */
export const MAX_CHANNELS_SHOWN = 256;

export const DEFAULT_VIEW: ViewState = { path: null, t: 0, d: 1, ch: 0, n: 16, c: null };

const finite = (value: string | null, fallback: number, min: number, max: number) => {
  const n = value === null ? NaN : Number(value);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
};

/** `0-15,32,40-41` → [0…15, 32, 40, 41]; anything else in it is ignored. */
export function parseChannelList(text: string | null): number[] | null {
  if (!text) return null;
  const chosen = new Set<number>();
  for (const part of text.split(',')) {
    const [, from, to] = /^(\d{1,7})(?:-(\d{1,7}))?$/.exec(part.trim()) ?? [];
    if (from === undefined) continue;
    for (let c = Number(from); c <= Number(to ?? from) && chosen.size < MAX_CHANNELS_SHOWN; c++) chosen.add(c);
  }
  return chosen.size ? [...chosen].sort((a, b) => a - b) : null;
}

/** The list written back as ranges: [0…15, 32] → `0-15,32`. */
export function channelListText(channels: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < channels.length; i++) {
    let j = i;
    while (j + 1 < channels.length && channels[j + 1] === channels[j]! + 1) j++;
    parts.push(j > i ? `${channels[i]}-${channels[j]}` : String(channels[i]));
    i = j;
  }
  return parts.join(',');
}

export function parseViewState(params: URLSearchParams): ViewState {
  return {
    path: params.get('path')?.startsWith('/') ? params.get('path') : null,
    t: finite(params.get('t'), DEFAULT_VIEW.t, -1e9, 1e9),
    d: finite(params.get('d'), DEFAULT_VIEW.d, 1e-4, 86_400),
    ch: Math.floor(finite(params.get('ch'), DEFAULT_VIEW.ch, 0, 1e6)),
    n: Math.floor(finite(params.get('n'), DEFAULT_VIEW.n, 1, MAX_CHANNELS_SHOWN)),
    c: parseChannelList(params.get('c')),
  };
}

export function viewStateQuery(view: ViewState): string {
  const params = new URLSearchParams();
  if (view.path) params.set('path', view.path);
  params.set('t', String(Number(view.t.toFixed(6))));
  params.set('d', String(Number(view.d.toFixed(6))));
  params.set('ch', String(view.ch));
  params.set('n', String(view.n));
  if (view.c) params.set('c', channelListText(view.c));
  return params.toString();
}

/** The channels a view shows of a series with `count` channels. */
export function shownChannels(view: ViewState, count: number): number[] {
  if (view.c) return view.c.filter((c) => c < count);
  const first = Math.min(view.ch, count - 1);
  return Array.from({ length: Math.min(view.n, count - first) }, (_, i) => first + i);
}
