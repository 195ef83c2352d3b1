import 'server-only';
import { experimentFolder, wakeAnswer } from '../contracts/wake';
import { daysBefore, folderDate } from './folder-dates';
import { getConfig, getCrawlSchedule, getWakeSettings } from './config';
import { log } from './log';

/**
 * A link to an experiment the index does not hold yet (shared before the next crawl: named by a day within
 * the recent pass's window) asks the crawl scheduler to index its folder now (CRAWL_WAKE_URL,
 * crawler/wake-server.ts). The page waits up to ANSWER_WAIT_MS for the pass (about a second), then shows the
 * experiment, a 404, or "indexing" while it runs on. The site holds no credential that writes: it only asks.
 * Each folder is asked for at most once per ASK_MS by this process, and at most MAX_ASKS_PER_MINUTE folders
 * in all, so links cannot make it a load.
 */

const ASK_MS = 30_000;
const MAX_ASKS_PER_MINUTE = 30;
const MAX_REMEMBERED = 1000;
const ANSWER_WAIT_MS = 2500;
const ANSWER_TIMEOUT_MS = 120_000;

/** `indexed`: look again; `indexing`: asked, not answered yet; `absent`: the pass found no such folder; `off`: not asked. */
export type IndexingState = 'indexed' | 'indexing' | 'absent' | 'off';

interface Ask {
  at: number;
  answer: Promise<boolean | undefined>;
  indexed?: boolean;
}

const asked = new Map<string, Ask>();

/** Whether a folder's name dates it within the recent pass's window: a link that may be newer than the index. */
function recentlyDated(uuid: string, now: number): boolean {
  const date = folderDate(uuid);
  return date !== undefined && date >= daysBefore(new Date(now), getCrawlSchedule().recentDays);
}

function ask(folder: string, url: string, secret: string, now: number): Ask {
  const entry: Ask = {
    at: now,
    answer: fetch(new URL('/wake', url), {
      method: 'POST',
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ folder }),
      signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
    })
      .then(async (response) => {
        if (!response.ok) throw new Error(`the wake endpoint answered ${response.status}`);
        entry.indexed = wakeAnswer.parse(await response.json()).indexed;
        return entry.indexed;
      })
      .catch((error: unknown) => {
        // Asked again on a later visit; the next crawl will tell meanwhile.
        asked.delete(folder);
        log('warn', 'cannot ask the crawler to index a folder', { error: error instanceof Error ? error.message : String(error) });
        return undefined;
      }),
  };
  return entry;
}

export async function askToIndex(prefix: string, uuid: string, now = Date.now()): Promise<IndexingState> {
  const { url, secret } = getWakeSettings();
  const folder = `${prefix}/${uuid}`;
  if (!url || !secret || !getConfig().prefixes.includes(prefix) || !experimentFolder.safeParse(folder).success || !recentlyDated(uuid, now))
    return 'off';
  let entry = asked.get(folder);
  if (!entry || now - entry.at >= ASK_MS) {
    if ([...asked.values()].filter((a) => now - a.at < 60_000).length >= MAX_ASKS_PER_MINUTE) return 'off';
    asked.delete(folder);
    if (asked.size >= MAX_REMEMBERED) asked.delete(asked.keys().next().value!);
    entry = ask(folder, url, secret, now);
    asked.set(folder, entry);
  }
  const answered = await Promise.race([entry.answer, new Promise<'waiting'>((resolve) => setTimeout(resolve, ANSWER_WAIT_MS, 'waiting'))]);
  if (answered === 'waiting' || answered === undefined) return 'indexing';
  return answered ? 'indexed' : 'absent';
}
