import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * The production server (scripts/start.sh over the last `npm run build`), started and ready. Its log lines
 * go to `onLog` when given, else to this process's stderr.
 */
export async function startAppServer(
  port: number,
  env: Record<string, string>,
  onLog?: (text: string) => void,
): Promise<{ pid: number; stop(): Promise<void> }> {
  const server = spawn('bash', ['scripts/start.sh'], {
    cwd: ROOT,
    env: { ...process.env, ...env, BIND_ADDRESS: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', onLog ? 'pipe' : 'inherit'],
  });
  if (onLog) {
    server.stdout!.on('data', (chunk: Buffer) => onLog(chunk.toString()));
    server.stderr!.on('data', (chunk: Buffer) => onLog(chunk.toString()));
  }
  const kill = () => server.kill('SIGTERM');
  process.on('exit', kill);
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('Ready') && resolve());
    server.once('exit', (code) => reject(new Error(`the app server exited with ${code}`)));
  });
  return {
    // start.sh execs node: the script's process is the server's supervisor.
    pid: server.pid!,
    stop: async () => {
      process.off('exit', kill);
      if (server.exitCode !== null) return;
      kill();
      await new Promise((resolve) => server.once('exit', resolve));
    },
  };
}

/** The server's log lines (JSON, one per line) in `log` whose message is `msg`, parsed. */
export function loggedLines<T>(log: string, msg: string): T[] {
  const marker = `"msg":${JSON.stringify(msg)}`;
  return log
    .split('\n')
    .filter((line) => line.includes(marker))
    .map((line) => JSON.parse(line) as T);
}

/** A keep-alive client of `connections` sockets; a request resolves to its status (0: it failed). */
export function httpClient(port: number, connections: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  return {
    send: (method: string, path: string) =>
      new Promise<number>((resolve) => {
        const req = request({ host: '127.0.0.1', port, path, method, agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        // A failed request counts as an error in the figures rather than ending the run.
        req.on('error', () => resolve(0));
        req.end();
      }),
    close: () => agent.destroy(),
  };
}

/** The p-th percentile of ascending `sorted` (NaN when empty). */
export const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

export interface LoadResult {
  /** Latencies in ms by the label of the request kind. */
  latencies: Map<string, number[]>;
  /** When each of those requests was sent, in seconds from the start of the run. */
  sentAt: Map<string, number[]>;
  completed: number;
  errors: number;
  /** The unexpected answers, counted by request kind and status (0: the request failed). */
  failures: Map<string, number>;
  seconds: number;
}

/**
 * `connections` clients, each sending its next request as soon as the last one answered, for `seconds`.
 * `next(i)` gives the i-th request of the whole run.
 */
export async function runLoad(options: {
  send: (method: string, path: string) => Promise<number>;
  connections: number;
  seconds: number;
  next: (i: number) => { method: string; path: string; label: string; expected: number };
}): Promise<LoadResult> {
  const result: LoadResult = { latencies: new Map(), sentAt: new Map(), completed: 0, errors: 0, failures: new Map(), seconds: 0 };
  let i = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (performance.now() < deadline) {
        const request = options.next(i++);
        const start = performance.now();
        const status = await options.send(request.method, request.path);
        const list = result.latencies.get(request.label) ?? [];
        list.push(performance.now() - start);
        result.latencies.set(request.label, list);
        const sent = result.sentAt.get(request.label) ?? [];
        sent.push((start - started) / 1000);
        result.sentAt.set(request.label, sent);
        if (status !== request.expected) {
          result.errors++;
          const failure = `${request.label}: ${status}`;
          result.failures.set(failure, (result.failures.get(failure) ?? 0) + 1);
        }
        result.completed++;
      }
    }),
  );
  result.seconds = (performance.now() - started) / 1000;
  return result;
}
