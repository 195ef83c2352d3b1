'use client';

import { useEffect, useRef, useState } from 'react';
import type { H5Client } from '@/viewer/client';

type Mount = (element: HTMLElement, options: { client: H5Client; filename: string }) => () => void;

// Built separately with React 18 (viewer/h5web/, see scripts/build.ts): @h5web/app 17 cannot run on the
// App Router's React 19, so it is loaded as its own module, outside the app's bundle.
const ISLAND_URL: string = '/viewer/h5web.js';

/** H5Web browsing every group, dataset and attribute of the file, through the same worker. */
export function H5WebPanel({ client, filename }: { client: H5Client; filename: string }) {
  const host = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let unmount: (() => void) | undefined;
    let live = true;
    import(/* webpackIgnore: true */ /* turbopackIgnore: true */ ISLAND_URL)
      .then((island: { mount: Mount }) => {
        if (live && host.current) unmount = island.mount(host.current, { client, filename });
      })
      .catch((e: unknown) => live && setError(`the H5Web viewer could not be loaded: ${e instanceof Error ? e.message : String(e)}`));
    return () => {
      live = false;
      unmount?.();
    };
  }, [client, filename]);

  return (
    <section className="h5web-panel">
      <link rel="stylesheet" href="/viewer/h5web.css" precedence="default" />
      <h2>All datasets</h2>
      {error && <p className="error">{error}</p>}
      <div ref={host} className="h5web-host" data-testid="h5web" />
    </section>
  );
}
