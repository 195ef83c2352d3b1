import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { environmentOf } from './processes';

/** What a user's browser and the health checker ask besides searching: answered from the index alone. */
export const PROBES = ['HEAD /data', 'GET /api/files', 'GET /api/health'] as const;
export type Probe = (typeof PROBES)[number];

/**
 * HEAD /data, GET /api/files and GET /api/health in turn, one at a time, over `uuids`, until `done()`:
 * their latencies in ms, with a pause between requests (probing without one would be a load of its own).
 */
export async function probeUntil(
  send: (method: string, path: string) => Promise<number>,
  uuids: string[],
  done: () => boolean,
): Promise<Record<Probe, number[]>> {
  const times = Object.fromEntries(PROBES.map((label) => [label, [] as number[]])) as Record<Probe, number[]>;
  for (let i = 0; !done(); i++) {
    const label = PROBES[i % PROBES.length]!;
    times[label].push(await probeOnce(send, uuids[i % uuids.length]!, label));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return times;
}

/**
 * probeUntil in a process of its own (bench/support/probe-main.ts), started once each probe has been answered
 * once: beside a load generator's event loop, busy with a thousand answers a second, the probes' figures would
 * be of both.
 */
export async function startProbeProcess(port: number, uuids: string[]): Promise<{ stop(): Promise<Record<Probe, number[]>> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'probe-main.ts'), String(port)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.send(uuids);
  await once(child, 'message');
  return {
    stop: async () => {
      const answer = once(child, 'message') as Promise<[Record<Probe, number[]>]>;
      child.send('stop');
      return (await answer)[0];
    },
  };
}

/** One probe's latency in ms. */
export async function probeOnce(send: (method: string, path: string) => Promise<number>, uuid: string, label: Probe): Promise<number> {
  const [method, path] = (
    { 'HEAD /data': ['HEAD', `/data/${uuid}`], 'GET /api/files': ['GET', `/api/files/${uuid}`], 'GET /api/health': ['GET', '/api/health'] } as const
  )[label];
  const start = performance.now();
  await send(method, path);
  return performance.now() - start;
}

/**
 * Memory of the server's processes by role, in MB: private (heap, SQLite's page cache) and file-backed
 * (the pages of the index mapped in, which the kernel shares between processes and may drop at will).
 */
export function serverMemory(serverPid: number): Record<string, string[]> {
  const children = readFileSync(`/proc/${serverPid}/task/${serverPid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  const byRole: Record<string, string[]> = {};
  for (const pid of children) {
    const role = environmentOf(pid, 'SERVER_ROLE') ?? 'server';
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const mb = (field: string) => Math.round(Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]) / 1024);
    byRole[role] = [...(byRole[role] ?? []), `${mb('RssAnon')} + ${mb('RssFile')}`];
  }
  return byRole;
}
