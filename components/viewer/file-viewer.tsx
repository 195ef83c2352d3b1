'use client';

import { useCallback, useEffect, useState } from 'react';
import { H5Client, ViewerError } from '@/viewer/client';
import { findSeries, readElectrodes, readUnits, type SeriesInfo, type Table, type Units } from '@/viewer/nwb';
import type { ErrorKind } from '@/viewer/protocol';
import { ElectrodesTable } from './electrodes-table';
import { H5WebPanel } from './h5web-panel';
import { RasterView } from './raster-view';
import { TraceView } from './trace-view';
import { parseViewState, viewStateQuery, type ViewState } from './view-state';

type Loaded = { series: SeriesInfo[]; units: Units | null; electrodes: Table | null };
type State = { status: 'loading' } | { status: 'error'; kind: ErrorKind; message: string } | ({ status: 'ready' } & Loaded);

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
  const [view, setView] = useState<ViewState>(() => parseViewState(new URLSearchParams(typeof window === 'undefined' ? '' : window.location.search)));

  useEffect(() => {
    const worker = H5Client.start();
    let live = true;
    setClient(worker);
    (async (): Promise<Loaded> => {
      await worker.open(fileUuid);
      const series = await findSeries(worker);
      const units = await readUnits(worker).catch(() => null);
      const electrodes = await readElectrodes(worker).catch(() => null);
      return { series, units, electrodes };
    })()
      .then((loaded) => live && setState({ status: 'ready', ...loaded }))
      .catch((e: unknown) => {
        if (!live) return;
        const kind = e instanceof ViewerError ? e.kind : 'other';
        setState({ status: 'error', kind, message: e instanceof Error ? e.message : String(e) });
      });
    return () => {
      live = false;
      worker.terminate();
    };
  }, [fileUuid]);

  // The view lives in the URL, replaced rather than pushed: moving through a recording is not navigation.
  const changeView = useCallback((next: ViewState) => {
    setView(next);
    window.history.replaceState(null, '', `?${viewStateQuery(next)}`);
  }, []);

  if (state.status === 'loading') return <p className="muted" data-testid="viewer-loading">Opening {filename}…</p>;
  if (state.status === 'error') {
    return (
      <p className="error" data-testid="viewer-error" data-kind={state.kind}>
        {state.message}. {ADVICE[state.kind] ?? ''}
      </p>
    );
  }
  const series = state.series.find((s) => s.path === view.path) ?? state.series[0];
  return (
    <div className="file-viewer">
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
      {client && series && <TraceView client={client} series={series} view={view} onView={(next) => changeView({ ...next, path: series.path })} />}
      {state.units && <RasterView units={state.units} />}
      {state.electrodes && <ElectrodesTable table={state.electrodes} />}
      {client && <H5WebPanel client={client} filename={filename} />}
    </div>
  );
}
