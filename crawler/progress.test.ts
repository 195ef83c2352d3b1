import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CrawlProgress } from './context';
import { createProgressReporter } from './progress';

const outcomes = { new: 0, updated: 0, unchanged: 0, failed: 0 };
const at = (change: Partial<CrawlProgress>): CrawlProgress => ({
  phase: 'listing',
  objectsListed: 0,
  experimentsListed: 0,
  experimentsDone: 0,
  outcomes,
  hdf5Planned: 0,
  hdf5Done: 0,
  ...change,
});

/** The line a terminal shows for this update: the live bar, drawn by the real cli-progress. */
function shown(update: CrawlProgress): string {
  const tty = Object.assign(new PassThrough(), { isTTY: true, columns: 200 });
  let text = '';
  tty.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const reporter = createProgressReporter(tty as unknown as NodeJS.WriteStream);
  reporter.update(update);
  reporter.stop(); // draws the bar as it is now, whatever the frame rate
  // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences are what is removed
  const lines = text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').split(/[\r\n]/);
  return lines.filter((line) => line.trim()).at(-1) ?? '';
}

describe('the crawl progress bar', () => {
  it('is empty while listing, with the objects listed so far, then counts experiments, then HDF5 files', () => {
    const listing = shown(at({ objectsListed: 12_345 }));
    const indexing = shown(at({ phase: 'indexing', objectsListed: 20_000, experimentsListed: 400, experimentsDone: 100 }));
    const manifests = shown(
      at({ phase: 'manifests', objectsListed: 20_000, experimentsListed: 400, experimentsDone: 400, hdf5Planned: 60, hdf5Done: 15 }),
    );
    expect(listing).toContain('listing [');
    expect(listing).toContain('12,345 objects listed');
    expect(listing).not.toContain('0/0');
    expect(listing).not.toMatch(/█/);
    expect(indexing).toContain('100/400 experiments | 20,000 objects');
    expect(manifests).toContain('15/60 HDF5 files');
    // A quarter of the bar is drawn for 15 of 60 files.
    const bar = /\[([^\]]*)\]/.exec(manifests)![1]!;
    expect(bar.split('█').length - 1).toBe(Math.round(bar.length / 4));
  });
});
