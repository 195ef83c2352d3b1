import type { Worker } from 'node:worker_threads';
import { AppError } from '../errors';
import { QueryError } from './parse';
import type { SearchRequest } from '../../contracts/search-params';
import type { EncodedAnswer, PreparedAnswer } from './run';

/**
 * Searches in worker threads, so that the process that received the request stays free to answer the
 * rest: a HEAD of a file or the health check costs microseconds, the worst search the parser allows
 * about 0.3 s at 100,000 experiments, and a search in the event loop held up everything behind it.
 * Each thread has its own connection to the index and its own catalog; it runs one search at a time,
 * the others wait in order. A search over its time limit ends its thread (a synchronous SQLite call
 * cannot be interrupted otherwise), and a new thread takes the next search.
 */

export interface SearchTask {
  id: number;
  request: SearchRequest;
}

export type SearchReply = ({ id: number } & EncodedAnswer) | { id: number; queryError: string } | { id: number; error: string };
/** A thread's first message: its catalog and first keystrokes' match sets are loaded, with the answers it prepared (lib/search/run.ts). */
export type ThreadReady = { ready: true; prepared: PreparedAnswer[] };
/**
 * A thread's catalog is due to be loaded again (the crawler changed what search shows): it asks for its turn,
 * and reloads when the pool answers with a RefreshTurn, then says so with ThreadRefreshed. One thread at a time,
 * and the pool sends none of the searches to it meanwhile: a reload takes a thread 0.25-0.4 s at 100,000
 * experiments, and when the first search after a change loaded it, every search sent to that thread waited.
 */
export type ThreadDue = { due: true };
export type RefreshTurn = { refresh: true };
export type ThreadRefreshed = { refreshed: true };
type ThreadMessage = SearchReply | ThreadReady | ThreadDue | ThreadRefreshed;

/** Which thread of how many a search thread is (its workerData): it prepares the answers of searches sent to it. */
export interface ThreadPlace {
  thread: number;
  threads: number;
}

interface Pending {
  task: SearchTask;
  /** The thread that most likely holds what this search needs (its match sets). */
  home: number;
  queuedAt: number;
  resolve: (answer: EncodedAnswer) => void;
  reject: (error: unknown) => void;
}

interface Thread {
  worker: Worker;
  /** It has prepared its searches (ThreadReady). */
  ready: boolean;
  /** It asked to load its catalog again and waits for its turn (ThreadDue). */
  due: boolean;
  /** It is loading its catalog again. */
  refreshing: boolean;
  current?: Pending & { timer: NodeJS.Timeout };
  started: (prepared: PreparedAnswer[]) => void;
}

export class SearchPool {
  private readonly threads: Thread[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 0;
  /**
   * Every first thread has prepared its search (or failed to start), with the answers they prepared (each
   * thread the same ones): a server listens only then.
   */
  readonly ready: Promise<PreparedAnswer[]>;

  constructor(
    private readonly startWorker: (place: ThreadPlace) => Worker,
    size: number,
    private readonly timeLimitMs: number,
  ) {
    const started: Promise<PreparedAnswer[]>[] = [];
    for (let i = 0; i < size; i++) {
      const thread = this.start(i, size);
      started.push(new Promise((resolve) => (thread.started = resolve)));
      this.threads.push(thread);
    }
    this.ready = Promise.all(started).then((prepared) => prepared.flat());
  }

  /**
   * The search's answer. Searches of one `affinity` (their text's match expression, null for none) go to the
   * same thread when it is free, or to the first thread free when it is not, so that its kept match sets
   * serve them; a free thread takes its own before older ones of another's for at most MAX_AFFINITY_WAIT_MS.
   */
  search(request: SearchRequest, affinity: string | null = null): Promise<EncodedAnswer> {
    return new Promise((resolve, reject) => {
      this.queue.push({
        task: { id: this.nextId++, request },
        home: homeOf(affinity, this.threads.length),
        queuedAt: performance.now(),
        resolve,
        reject,
      });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    const threads = this.threads.splice(0);
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  private start(index: number, threads: number): Thread {
    const thread: Thread = { worker: this.startWorker({ thread: index, threads }), ready: false, due: false, refreshing: false, started: () => {} };
    thread.worker.on('message', (message: ThreadMessage) => {
      if ('due' in message) {
        thread.due = true;
        return this.refreshNext();
      }
      if ('refreshed' in message) {
        thread.refreshing = false;
        this.refreshNext();
        return this.dispatch();
      }
      if (!('ready' in message)) return this.onReply(thread, message);
      // Prepared, a thread must not keep the process alive on its own; until then a process that waits for
      // it (a server about to listen) has nothing else that would.
      thread.worker.unref();
      thread.ready = true;
      thread.started(message.prepared);
      this.dispatch();
    });
    thread.worker.on('error', (error) => this.replace(thread, new AppError('unavailable:search', 'the search failed; try again', { cause: error })));
    thread.worker.on('exit', (code) =>
      this.replace(thread, new AppError('unavailable:search', `the search thread stopped (code ${code}); try again`)),
    );
    return thread;
  }

  private dispatch(): void {
    // First each free thread its own oldest search, then any free thread the oldest left (its home is busy).
    // Its own first only while the oldest search has waited less than its match set costs to build again.
    // A thread that is still preparing (one that replaced another) or loading its catalog again takes none
    // while another can: its searches would wait for it.
    const usable = (thread: Thread) => thread.ready && !thread.refreshing;
    const anyUsable = this.threads.some(usable);
    for (const mine of [true, false]) {
      this.threads.forEach((thread, index) => {
        if (thread.current || (anyUsable && !usable(thread)) || this.queue.length === 0) return;
        const overdue = performance.now() - this.queue[0]!.queuedAt > MAX_AFFINITY_WAIT_MS;
        const at = mine && !overdue ? this.queue.findIndex((pending) => pending.home === index) : 0;
        if (at !== -1) this.run(thread, this.queue.splice(at, 1)[0]!);
      });
    }
  }

  private run(thread: Thread, pending: Pending): void {
    const timer = setTimeout(() => this.overTime(thread), this.timeLimitMs);
    thread.current = { ...pending, timer };
    thread.worker.postMessage(pending.task);
  }

  private onReply(thread: Thread, reply: SearchReply): void {
    const current = thread.current;
    if (!current || current.task.id !== reply.id) return;
    clearTimeout(current.timer);
    thread.current = undefined;
    if ('json' in reply) current.resolve({ json: reply.json, keepForMs: reply.keepForMs });
    else if ('queryError' in reply) current.reject(new QueryError(reply.queryError));
    else current.reject(new Error(reply.error));
    this.refreshNext();
    this.dispatch();
  }

  /** The next thread due to load its catalog again takes its turn, once it is free and no other is loading. */
  private refreshNext(): void {
    if (this.threads.some((thread) => thread.refreshing)) return;
    const next = this.threads.find((thread) => thread.due && !thread.current);
    if (!next) return;
    next.due = false;
    next.refreshing = true;
    next.worker.postMessage({ refresh: true } satisfies RefreshTurn);
  }

  private overTime(thread: Thread): void {
    const seconds = this.timeLimitMs / 1000;
    this.replace(thread, new AppError('unavailable:search', `the search took longer than ${seconds} s and was stopped; try a narrower query`));
  }

  /** Ends a thread, fails the search it had, and puts a new thread in its place. */
  private replace(thread: Thread, error: AppError): void {
    const index = this.threads.indexOf(thread);
    if (index === -1) return;
    thread.worker.removeAllListeners();
    void thread.worker.terminate();
    thread.started([]);
    if (thread.current) {
      clearTimeout(thread.current.timer);
      thread.current.reject(error);
    }
    this.threads[index] = this.start(index, this.threads.length);
    this.refreshNext();
    this.dispatch();
  }
}

// A match set costs FTS5 a few milliseconds to build again (lib/search/match-sets.ts).
const MAX_AFFINITY_WAIT_MS = 5;

/** The thread of `threads` that searches of this affinity go to first (FNV-1a of it). */
export function homeOf(affinity: string | null, threads: number): number {
  const text = affinity ?? '';
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % threads;
}
