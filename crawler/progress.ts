import { SingleBar, Presets } from 'cli-progress';
import { jsonLogger } from '../lib/log';
import type { CrawlProgress } from './context';

const RECORD_INTERVAL_MS = 5_000;

/**
 * Progress, warnings and errors on stderr: for a person at a terminal, a live bar and plain lines; otherwise
 * (cron, containers) one JSON object per line every few seconds, like the server's logs. stdout keeps
 * only the run's JSON summary.
 */
export function createProgressReporter(stream: NodeJS.WriteStream) {
  const started = Date.now();
  let latest: CrawlProgress | undefined;
  const bar = stream.isTTY
    ? new SingleBar(
        {
          stream,
          format: '{phase} [{bar}] {counts} | {rate} experiments/s | new {new} upd {updated} same {unchanged} failed {failed}',
          hideCursor: true,
          // Listing has no total yet: the bar stays empty rather than full.
          emptyOnZero: true,
        },
        Presets.shades_classic,
      )
    : undefined;
  let barStarted = false;
  let lastRecord = 0;

  // stderr: stdout holds the run's summary alone.
  const logger = bar ? undefined : jsonLogger('stderr');
  const record = (level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}) => logger?.[level](fields, msg);
  const progressRecord = (p: CrawlProgress) => {
    const seconds = (Date.now() - started) / 1000;
    record('info', 'crawl progress', {
      phase: p.phase,
      experimentsDone: p.experimentsDone,
      experimentsListed: p.experimentsListed,
      objectsListed: p.objectsListed,
      hdf5Done: p.hdf5Done,
      hdf5Planned: p.hdf5Planned,
      perSecond: seconds > 0 ? Number((p.experimentsDone / seconds).toFixed(1)) : 0,
      ...p.outcomes,
    });
  };

  return {
    update(p: CrawlProgress) {
      latest = p;
      if (bar) {
        const seconds = (Date.now() - started) / 1000;
        const { value, total, counts } = barOf(p);
        const payload = { phase: p.phase, counts, rate: seconds > 0 ? (p.experimentsDone / seconds).toFixed(1) : '0', ...p.outcomes };
        if (!barStarted) {
          bar.start(total, value, payload);
          barStarted = true;
        }
        bar.setTotal(total);
        bar.update(value, payload);
      } else if (Date.now() - lastRecord >= RECORD_INTERVAL_MS) {
        lastRecord = Date.now();
        progressRecord(p);
      }
    },
    warn(message: string) {
      if (bar && barStarted) bar.stop();
      barStarted = false;
      if (bar) stream.write(`warning: ${message}\n`);
      else record('warn', message);
    },
    fail(message: string) {
      if (bar) stream.write(`error: ${message}\n`);
      else record('error', 'crawl failed', { error: message });
    },
    stop() {
      if (bar && barStarted) bar.stop();
      else if (!bar && latest) progressRecord(latest);
    },
  };
}

const count = (n: number) => n.toLocaleString('en-US');

/** What the bar measures in each phase: nothing while listing (the total is not known), then experiments, then HDF5 files. */
function barOf(p: CrawlProgress): { value: number; total: number; counts: string } {
  const objects = `${count(p.objectsListed)} objects`;
  if (p.phase === 'listing') return { value: 0, total: 0, counts: `${objects} listed` };
  if (p.phase === 'manifests') {
    return { value: p.hdf5Done, total: p.hdf5Planned, counts: `${count(p.hdf5Done)}/${count(p.hdf5Planned)} HDF5 files | ${objects}` };
  }
  return {
    value: p.experimentsDone,
    total: p.experimentsListed,
    counts: `${count(p.experimentsDone)}/${count(p.experimentsListed)} experiments | ${objects}`,
  };
}
