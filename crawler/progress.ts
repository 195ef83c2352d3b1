import { SingleBar, Presets } from 'cli-progress';
import type { CrawlProgress } from './crawl';

const PLAIN_INTERVAL_MS = 5_000;

/**
 * Human progress on stderr: a live bar on a terminal, a plain line every few seconds otherwise (cron logs).
 */
export function createProgressReporter(stream: NodeJS.WriteStream) {
  const started = Date.now();
  let latest: CrawlProgress | undefined;
  const bar = stream.isTTY
    ? new SingleBar(
        {
          stream,
          format: '{phase} [{bar}] {value}/{total} experiments | {objects} objects | {rate}/s | new {new} upd {updated} same {unchanged} failed {failed}',
          hideCursor: true,
        },
        Presets.shades_classic,
      )
    : undefined;
  let barStarted = false;
  let lastPlain = 0;

  const line = (p: CrawlProgress) => {
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? (p.experimentsDone / seconds).toFixed(1) : '0';
    return `${p.phase}: ${p.experimentsDone}/${p.experimentsListed} experiments, ${p.objectsListed} objects listed, ${rate}/s, new ${p.outcomes.new} updated ${p.outcomes.updated} unchanged ${p.outcomes.unchanged} failed ${p.outcomes.failed}`;
  };

  return {
    update(p: CrawlProgress) {
      latest = p;
      if (bar) {
        const seconds = (Date.now() - started) / 1000;
        const payload = {
          phase: p.phase,
          objects: p.objectsListed,
          rate: seconds > 0 ? (p.experimentsDone / seconds).toFixed(1) : '0',
          ...p.outcomes,
        };
        if (!barStarted) {
          bar.start(p.experimentsListed, p.experimentsDone, payload);
          barStarted = true;
        }
        bar.setTotal(p.experimentsListed);
        bar.update(p.experimentsDone, payload);
      } else if (Date.now() - lastPlain >= PLAIN_INTERVAL_MS) {
        lastPlain = Date.now();
        stream.write(`${line(p)}\n`);
      }
    },
    warn(message: string) {
      if (bar && barStarted) bar.stop();
      barStarted = false;
      stream.write(`warning: ${message}\n`);
    },
    stop() {
      if (bar && barStarted) bar.stop();
      else if (!bar && latest) stream.write(`${line(latest)}\n`);
    },
  };
}
