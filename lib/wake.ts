import 'server-only';
import { experimentFolder, wakeAnswer } from '../contracts/wake';
import { getConfig, getWakeSettings } from './config';
import { log } from './log';

/**
 * A link to an experiment the index does not hold yet (shared before the next crawl) asks the crawl
 * scheduler to index its folder now (CRAWL_WAKE_URL, crawler/wake-server.ts), and the page says it is being
 * indexed. The site holds no credential that writes: it only asks. Each folder is asked for at most once per
 * ASK_MS by this process, and at most MAX_ASKS_PER_MINUTE folders in all, so links cannot make it a load.
 */

const ASK_MS = 30_000;
const MAX_ASKS_PER_MINUTE = 30;
const MAX_REMEMBERED = 1000;
const ANSWER_TIMEOUT_MS = 120_000;

/** `indexing`: asked, the pass has not answered yet; `absent`: the pass found no such folder; `off`: not asked. */
export type IndexingState = 'indexing' | 'absent' | 'off';

const asked = new Map<string, { at: number; indexed?: boolean }>();

export function askToIndex(prefix: string, uuid: string, now = Date.now()): IndexingState {
  const { url, secret } = getWakeSettings();
  const folder = `${prefix}/${uuid}`;
  if (!url || !secret || !experimentFolder.safeParse(folder).success || !getConfig().prefixes.includes(prefix)) return 'off';
  const last = asked.get(folder);
  if (last && now - last.at < ASK_MS) return last.indexed === false ? 'absent' : 'indexing';
  const recent = [...asked.values()].filter((a) => now - a.at < 60_000).length;
  if (recent >= MAX_ASKS_PER_MINUTE) return 'off';
  asked.delete(folder);
  if (asked.size >= MAX_REMEMBERED) asked.delete(asked.keys().next().value!);
  const entry: { at: number; indexed?: boolean } = { at: now };
  asked.set(folder, entry);
  fetch(new URL('/wake', url), {
    method: 'POST',
    headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ folder }),
    signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
  })
    .then(async (response) => {
      if (!response.ok) throw new Error(`the wake endpoint answered ${response.status}`);
      entry.indexed = wakeAnswer.parse(await response.json()).indexed;
    })
    .catch((error: unknown) => {
      // Asked again on a later visit; the page said "indexing" meanwhile, and the next crawl will tell.
      asked.delete(folder);
      log('warn', 'cannot ask the crawler to index a folder', { error: error instanceof Error ? error.message : String(error) });
    });
  return 'indexing';
}
