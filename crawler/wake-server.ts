import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { firstIssue } from '../contracts/issues';
import { bucketEvents, experimentFolder, wakeRequest, type WakeAnswer } from '../contracts/wake';

/**
 * The crawl scheduler's wake endpoint: `POST /wake` with `Authorization: Bearer <CRAWL_WAKE_SECRET>` and
 * `{"folder": "<prefix>/<folder name>"}` asks for a pass over that folder now, and is answered when it has
 * run, with whether the folder is in the index. The site asks when a link names an experiment the index
 * does not hold yet. Nothing in a request is trusted but the folder's name, which only chooses what to
 * list; a folder asked for again within REASK_MS gets the last answer, and at most MAX_WAITING folders wait
 * at once.
 *
 * `POST /s3-events/<secret>` takes the bucket's notifications (radosgw posts them there, lib/s3-events.ts;
 * it sends no header of ours, so the secret is in the path): each object key names its experiment folder,
 * which is passed over by a pass that starts after the event (events during one pass make one more); the
 * answer does not wait for it.
 */

const REASK_MS = 30_000;
const MAX_WAITING = 32;
const MAX_BODY = 64 * 1024;
const EVENTS = '/s3-events/';

/**
 * Folders to pass over: asked for by the site, which wants to know whether a folder exists (a repeat within
 * REASK_MS gets the last answer), or announced by the bucket, which says a folder changed (never dropped: a
 * change needs a pass that starts after it, held back until REASK_MS after the folder's last pass, so that
 * an upload of many files costs a pass per REASK_MS rather than one per file).
 */
export class FolderQueue {
  /** Folders for the next pass, with the askers waiting for it. */
  private readonly waiting = new Map<string, ((indexed: boolean) => void)[]>();
  /** Folders of the pass running now, with theirs. */
  private readonly passing = new Map<string, ((indexed: boolean) => void)[]>();
  /** Changed folders passed over too recently, with when their pass may start. */
  private readonly later = new Map<string, number>();
  private readonly answered = new Map<string, { at: number; indexed: boolean }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Resolves with whether the folder is indexed after its pass; undefined when too many wait already. */
  ask(folder: string): Promise<boolean> | undefined {
    const last = this.answered.get(folder);
    if (last && this.now() - last.at < REASK_MS) return Promise.resolve(last.indexed);
    // Whether it exists: the pass running now answers that as well as the next would.
    const waiters = this.passing.get(folder) ?? this.waiting.get(folder);
    if (waiters) return new Promise((resolve) => waiters.push(resolve));
    if (this.full()) return undefined;
    this.later.delete(folder);
    return new Promise((resolve) => this.waiting.set(folder, [resolve]));
  }

  /** The folder changed: it gets a pass that starts after now. False when too many wait already. */
  changed(folder: string): boolean {
    if (this.waiting.has(folder) || this.later.has(folder)) return true;
    if (this.full()) return false;
    const last = this.answered.get(folder);
    if (last && !this.passing.has(folder) && this.now() - last.at < REASK_MS) this.later.set(folder, last.at + REASK_MS);
    else this.waiting.set(folder, []);
    return true;
  }

  /** The folders to pass over now (their askers wait for `settle`). */
  pending(): string[] {
    for (const [folder, at] of this.later) {
      if (at > this.now()) continue;
      this.later.delete(folder);
      this.waiting.set(folder, []);
    }
    for (const [folder, waiters] of this.waiting) this.passing.set(folder, waiters);
    this.waiting.clear();
    return [...this.passing.keys()];
  }

  /** Milliseconds until a held-back folder may be passed over; undefined when none is. */
  nextDueIn(): number | undefined {
    const due = Math.min(...this.later.values());
    return Number.isFinite(due) ? Math.max(0, due - this.now()) : undefined;
  }

  settle(folders: string[], indexed: (folder: string) => boolean): void {
    for (const [folder, at] of [...this.answered]) if (this.now() - at.at >= REASK_MS) this.answered.delete(folder);
    for (const folder of folders) {
      const result = indexed(folder);
      this.answered.set(folder, { at: this.now(), indexed: result });
      for (const resolve of this.passing.get(folder) ?? []) resolve(result);
      this.passing.delete(folder);
    }
  }

  private full(): boolean {
    return this.waiting.size + this.later.size >= MAX_WAITING;
  }
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** The secret in an events path, percent-decoded; a malformed escape is simply not the secret. */
function pathSecret(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return '';
  }
}

function send(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > MAX_BODY) return undefined;
  }
  return body;
}

export interface WakeServer {
  port: number;
  close(): Promise<void>;
}

export async function startWakeServer(options: {
  host: string;
  port: number;
  secret: string;
  prefixes: string[];
  queue: FolderQueue;
  /** Told when a folder is newly waiting: the scheduler stops sleeping. */
  onAsk: () => void;
}): Promise<WakeServer> {
  // Compared as digests: equal lengths, in constant time.
  const secret = digest(options.secret);
  const crawled = (folder: string) => options.prefixes.includes(folder.slice(0, folder.indexOf('/')));
  const server = createServer((req, res) => {
    void (async () => {
      const events = req.url?.startsWith(EVENTS) === true;
      if (req.url !== '/wake' && !events) return send(res, 404, { error: 'the endpoints are POST /wake and POST /s3-events/<secret>' });
      if (req.method !== 'POST') return send(res, 405, { error: 'POST only' });
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const given = events ? pathSecret(req.url!.slice(EVENTS.length)) : bearer;
      if (!timingSafeEqual(digest(given), secret)) return send(res, 401, { error: 'wrong or missing secret' });
      const body = await readBody(req);
      if (body === undefined) return send(res, 413, { error: `the body must be at most ${MAX_BODY} bytes` });
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        return send(res, 400, { error: 'the body must be JSON' });
      }
      if (events) {
        const parsed = bucketEvents.safeParse(json);
        if (!parsed.success) return send(res, 400, { error: firstIssue(parsed.error) });
        const folders = new Set(
          parsed.data.Records.flatMap(({ s3 }) => {
            const [prefix, name, ...rest] = s3.object.key.split('/');
            const folder = `${prefix}/${name}`;
            return rest.length > 0 && experimentFolder.safeParse(folder).success && crawled(folder) ? [folder] : [];
          }),
        );
        const queued = [...folders].filter((folder) => options.queue.changed(folder));
        if (queued.length > 0) options.onAsk();
        return send(res, 200, { queued: queued.length });
      }
      const parsed = wakeRequest.safeParse(json);
      if (!parsed.success) return send(res, 400, { error: firstIssue(parsed.error) });
      const { folder } = parsed.data;
      if (!crawled(folder)) return send(res, 400, { error: 'folder is not in a crawled prefix' });
      const answer = options.queue.ask(folder);
      if (!answer) return send(res, 503, { error: 'too many folders are waiting; ask again soon' });
      options.onAsk();
      send(res, 200, { indexed: await answer } satisfies WakeAnswer);
    })().catch(() => {
      if (!res.headersSent) send(res, 500, { error: 'the wake endpoint failed' });
    });
  });
  server.listen(options.port, options.host);
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
