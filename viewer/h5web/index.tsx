/**
 * The H5Web island: @h5web/app 17 runs on React 18 only, so scripts/build.ts bundles this file with its own
 * React 18 into public/viewer/h5web.js, and the App Router page (React 19) loads it with a plain dynamic
 * import and calls mount(). The two Reacts never share a tree: this one owns `element` and nothing else.
 */
import { App, DataProvider } from '@h5web/app';
import { createRoot } from 'react-dom/client';
import type { H5Client } from '../client';
import { WorkerProvider } from './provider';

export interface MountOptions {
  /** A client whose file is already open (H5Client.open). */
  client: H5Client;
  /** Shown as the root of H5Web's tree. */
  filename: string;
  initialPath?: string;
}

/** Renders H5Web into `element` (which must have a height: H5Web fills it); returns the unmount. */
export function mount(element: HTMLElement, { client, filename, initialPath }: MountOptions): () => void {
  const root = createRoot(element);
  root.render(
    <DataProvider api={new WorkerProvider(client, filename)}>
      <App initialPath={initialPath} />
    </DataProvider>,
  );
  return () => root.unmount();
}
