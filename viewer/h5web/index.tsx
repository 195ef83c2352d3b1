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
  const stopScrollOnFocus = keepScrollOnOwnFocus(element);
  root.render(
    <DataProvider api={new WorkerProvider(client, filename)}>
      <App initialPath={initialPath} />
    </DataProvider>,
  );
  return () => {
    stopScrollOnFocus();
    root.unmount();
  };
}

/**
 * H5Web focuses its selected entity when it mounts and when its tree loads, which scrolls the page down to
 * it, away from what the reader was looking at. A focus inside `element` that no pointer or key there asked
 * for in the moment before gives the page back its scroll position. The focus happens synchronously and the scroll event only at
 * the next frame, so the position last seen is the one from before.
 */
/** How long after a pointer or key a focus counts as asked for (H5Web moves focus as it handles them). */
const USER_FOCUS_MS = 1000;

function keepScrollOnOwnFocus(element: HTMLElement): () => void {
  let last = { x: window.scrollX, y: window.scrollY };
  // When a pointer or key in `element` last did something: a focus within a moment of it is the user's.
  let inputAt = Number.NEGATIVE_INFINITY;
  const onScroll = () => {
    last = { x: window.scrollX, y: window.scrollY };
  };
  const onInput = () => {
    inputAt = performance.now();
  };
  const onFocus = () => {
    if (performance.now() - inputAt > USER_FOCUS_MS) window.scrollTo(last.x, last.y);
  };
  window.addEventListener('scroll', onScroll, { passive: true });
  element.addEventListener('pointerdown', onInput, true);
  element.addEventListener('keydown', onInput, true);
  element.addEventListener('focusin', onFocus, true);
  return () => {
    window.removeEventListener('scroll', onScroll);
    element.removeEventListener('pointerdown', onInput, true);
    element.removeEventListener('keydown', onInput, true);
    element.removeEventListener('focusin', onFocus, true);
  };
}
