/**
 * A directory of generated files that survive between runs. A file counts as cached only when
 * its completion record names the same recipe and the size on disk matches, and both are put in
 * place by rename, so a run killed half-way never leaves something that looks finished.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface CompletionRecord {
  recipe: string;
  size: number;
}

const recordPath = (path: string): string => `${path}.complete.json`;

function readRecord(path: string): CompletionRecord | null {
  try {
    const value: unknown = JSON.parse(readFileSync(recordPath(path), 'utf8'));
    if (typeof value !== 'object' || value === null) return null;
    const { recipe, size } = value as Record<string, unknown>;
    return typeof recipe === 'string' && typeof size === 'number' ? { recipe, size } : null;
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes `<prefix><pid>` files or folders left by runs that died; a live process's are left alone. */
export function removeAbandoned(dir: string, prefix: string): void {
  for (const entry of readdirSync(dir)) {
    const pid = Number(entry.slice(prefix.length));
    if (entry.startsWith(prefix) && Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isRunning(pid)) {
      rmSync(join(dir, entry), { recursive: true, force: true });
    }
  }
}

export function recipeHash(recipe: unknown): string {
  return createHash('sha256').update(JSON.stringify(recipe)).digest('hex');
}

export function isCached(path: string, recipe: string): boolean {
  const record = readRecord(path);
  return record !== null && record.recipe === recipe && existsSync(path) && statSync(path).size === record.size;
}

/**
 * Path of `name` in `dir`, produced by `produce(tempPath)` unless an up-to-date copy is there.
 * `recipe` (see recipeHash) must change whenever the bytes would.
 */
export async function cachedFile(dir: string, name: string, recipe: string, produce: (tempPath: string) => Promise<void>): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  if (isCached(path, recipe)) return path;
  removeAbandoned(dir, `${name}.tmp-`);
  const temp = `${path}.tmp-${process.pid}`;
  try {
    await produce(temp);
    const record: CompletionRecord = { recipe, size: statSync(temp).size };
    rmSync(recordPath(path), { force: true });
    renameSync(temp, path);
    writeFileSync(`${recordPath(path)}.tmp-${process.pid}`, JSON.stringify(record));
    renameSync(`${recordPath(path)}.tmp-${process.pid}`, recordPath(path));
  } finally {
    rmSync(temp, { force: true });
  }
  return path;
}
