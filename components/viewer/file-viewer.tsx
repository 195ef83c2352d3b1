'use client';

import { useCallback, useEffect, useState } from 'react';
import { readChannels, type ChannelInfo } from '@/viewer/channels';
import { H5Client, ViewerError } from '@/viewer/client';
import { findSeries, readElectrodes, readUnits, type SeriesInfo, type Table, type Units } from '@/viewer/nwb';
import { whyNoTrace } from '@/viewer/no-trace';
import type { ErrorKind } from '@/viewer/protocol';
import type { FileInfo } from '@/contracts/files-api';
import { ElectrodeMap } from './electrode-map';
import { OverviewView } from './overview-view';
import { ElectrodesTable } from './electrodes-table';
import { H5WebPanel } from './h5web-panel';
import { SpikesView } from './spikes-view';
import { TraceView } from './trace-view';
import { parseViewState, viewStateQuery, type ViewState } from './view-state';

type State =
  | { status: 'loading' }
  | { status: 'error'; kind: ErrorKind; message: string }
  | { status: 'ready'; info: FileInfo; series: SeriesInfo[] };
type Extras = { units: Units | null; electrodes: Table | null };

const ADVICE: Partial<Record<ErrorKind, string>> = {
  'not-hdf5': 'Download it to open it with the right tool.',
  changed: 'The next crawl will index the new version; reload the page then.',
  s3: 'Try again in a moment; if it persists, the bucket may be down or missing its CORS rule (npm run s3:cors).',
  filter: 'Download the file and read it with the lab’s tools.',
};

/** The viewer of one HDF5/NWB file: NWB panels (traces, units, electrodes) and H5Web, over one worker. */
export function FileViewer({ fileUuid, filename }: { fileUuid: string; filename: string }) {
  const [client, setClient] = useState<H5Client | null>(null);
  const [state, setState] = useState<State>({ status: 'loading' });
  const [extras, setExtras] = useState<Extras | null>(null);
  const [traceDrawn, setTraceDrawn] = useState(false);
  const traceSettled = useCallback(() => setTraceDrawn(true), []);
  const [view, setView] = useState<ViewState>(() => parseViewState(new URLSearchParams(typeof window === 'undefined' ? '' : window.location.search)));

  useEffect(() => {
    const worker = H5Client.start();
    let live = true;
    setClient(worker);
    const fail = (e: unknown) => {
      if (!live) return;
      const kind = e instanceof ViewerError ? e.kind : 'other';
      setState({ status: 'error', kind, message: e instanceof Error ? e.message : String(e) });
    };
    worker.onStale = fail;
    (async () => {
      const info = await worker.open(fileUuid);
      return { info, series: await findSeries(worker) };
    })()
      .then(({ info, series }) => live && setState({ status: 'ready', info, series }))
      .catch(fail);
    return () => {
      live = false;
      worker.terminate();
    };
  }, [fileUuid]);

  // The units and electrodes tables wait for the first trace: the worker answers in order, and the units
  // table usually sits at the end of the file, after the recording.
  const ready = state.status === 'ready';
  const tracesFirst = ready && state.series.length > 0 && !traceDrawn;
  useEffect(() => {
    if (!client || !ready || tracesFirst) return;
    let live = true;
    (async () => ({ units: await readUnits(client).catch(() => null), electrodes: await readElectrodes(client).catch(() => null) }))().then(
      (loaded) => live && setExtras(loaded),
    );
    return () => {
      live = false;
    };
  }, [client, ready, tracesFirst]);

  const series = ready ? (state.series.find((s) => s.path === view.path) ?? state.series[0]) : undefined;
  // What each channel of the series in view is (its electrodes' rows), once its first trace is drawn.
  const [channels, setChannels] = useState<{ path: string; channels: ChannelInfo[] } | null>(null);
  useEffect(() => {
    if (!client || !series || tracesFirst) return;
    let live = true;
    readChannels(client, series)
      .then((read) => live && setChannels({ path: series.path, channels: read }))
      .catch(() => live && setChannels(null));
    return () => {
      live = false;
    };
  }, [client, series, tracesFirst]);
  const seriesChannels = channels && channels.path === series?.path ? channels.channels : null;

  // The view lives in the URL, replaced rather than pushed: moving through a recording is not navigation.
  // Other parameters (the experiment page's ?file=) are kept.
  const changeView = useCallback((next: ViewState) => {
    setView(next);
    const params = new URLSearchParams(window.location.search);
    for (const [name, value] of new URLSearchParams(viewStateQuery(next))) params.set(name, value);
    window.history.replaceState(null, '', `?${params}${window.location.hash}`);
  }, []);

  // Every panel moves the view of the series in view.
  const showInSeries = (next: ViewState) => changeView({ ...next, path: series?.path ?? null });

  if (state.status === 'loading')
    return (
      <p className="muted" data-testid="viewer-loading">
        Opening {filename}…
      </p>
    );
  if (state.status === 'error') {
    return (
      <p className="error" data-testid="viewer-error" data-kind={state.kind}>
        {state.message}. {ADVICE[state.kind] ?? ''}
      </p>
    );
  }
  return (
    <div className="file-viewer">
      {state.series.length === 0 && (
        <p className="muted" data-testid="no-trace">
          {whyNoTrace(state.info.key, state.info.summary)}
        </p>
      )}
      {state.series.length > 1 && (
        <label>
          Series{' '}
          <select value={series?.path} onChange={(e) => changeView({ ...view, path: e.target.value })}>
            {state.series.map((s) => (
              <option key={s.path} value={s.path}>
                {s.path}
              </option>
            ))}
          </select>
        </label>
      )}
      {client && series?.rate && (
        <OverviewView
          client={client}
          fileUuid={fileUuid}
          series={series}
          // The worker answers in order: the first trace comes first.
          waiting={tracesFirst}
          view={view}
          onView={showInSeries}
        />
      )}
      {client && series && (
        <TraceView client={client} series={series} channels={seriesChannels} view={view} onView={showInSeries} onSettled={traceSettled} />
      )}
      {client && extras?.units && (
        <SpikesView client={client} units={extras.units} channels={seriesChannels} series={series ?? null} view={view} onView={showInSeries} />
      )}
      {client && series && seriesChannels && (
        <ElectrodeMap client={client} series={series} channels={seriesChannels} units={extras?.units ?? null} view={view} onView={showInSeries} />
      )}
      {extras?.electrodes && <ElectrodesTable table={extras.electrodes} />}
      {client && <H5WebPanel client={client} filename={filename} />}
    </div>
  );
}
