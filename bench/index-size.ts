/**
 * `npm run bench:index-size`: what recording the HDF5 files' summaries costs the index on disk. Builds (or
 * reuses, from data/bench/) the synthetic index twice, with and without the summaries and the experiments'
 * recording facts, and prints each one's size, per table and index (SQLite's dbstat), and the difference.
 *
 * Flags: --experiments N (100000), --objects N (1000000), --rebuild (build both again).
 */
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { z } from 'zod';
import { decodeDeflatedJson } from '../lib/db/deflated-json';
import { benchIndex } from './support/bench-index';
import { benchFlags, countFlag } from './support/flags';

const { experiments, objects, rebuild } = benchFlags(
  z.object({ experiments: countFlag(100_000), objects: countFlag(1_000_000), rebuild: z.boolean().default(false) }),
  ['rebuild'],
);

const withRecordings = await benchIndex({ experiments, objects, rebuild, recordings: true });
const without = await benchIndex({ experiments, objects, rebuild, recordings: false });

/** Bytes per table or index, the full-text index's shadow tables added up under its name. */
function sizes(path: string): Map<string, number> {
  const db = new Database(path, { readonly: true });
  try {
    const rows = db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name').all() as { name: string; bytes: number }[];
    const out = new Map<string, number>();
    for (const { name, bytes } of rows) {
      const table = name.replace(/^(experiments_fts)_\w+$/, '$1 (all parts)');
      out.set(table, (out.get(table) ?? 0) + bytes);
    }
    return out;
  } finally {
    db.close();
  }
}

/** The summaries: how many, their bytes as stored (deflated) and as JSON. */
const summaries = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    let files = 0;
    let stored = 0;
    let json = 0;
    for (const summary of db.prepare('SELECT summary FROM hdf5_manifests WHERE summary IS NOT NULL').pluck().iterate() as Iterable<Buffer>) {
      files++;
      stored += summary.length;
      json += JSON.stringify(decodeDeflatedJson(summary)).length;
    }
    return { files, stored, json };
  } finally {
    db.close();
  }
};

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);
const a = sizes(withRecordings);
const b = sizes(without);
const fileA = statSync(withRecordings).size;
const fileB = statSync(without).size;
const { files, stored, json } = summaries(withRecordings);

console.log(`\n${experiments.toLocaleString('en-US')} experiments, ${objects.toLocaleString('en-US')} objects\n`);
console.log('| table or index | with summaries MB | without MB | added MB |');
console.log('|---|---|---|---|');
for (const name of [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => (a.get(y) ?? 0) - (a.get(x) ?? 0))) {
  const added = (a.get(name) ?? 0) - (b.get(name) ?? 0);
  if ((a.get(name) ?? 0) < 1e5 && Math.abs(added) < 1e5) continue;
  console.log(`| ${name} | ${mb(a.get(name) ?? 0)} | ${mb(b.get(name) ?? 0)} | ${mb(added)} |`);
}
console.log(`| **file** | ${mb(fileA)} | ${mb(fileB)} | ${mb(fileA - fileB)} (${((100 * (fileA - fileB)) / fileB).toFixed(1)} %) |`);
console.log(
  `\n${files.toLocaleString('en-US')} HDF5 files summarised: ${(json / files / 1024).toFixed(1)} KiB of JSON each, ${(stored / files / 1024).toFixed(1)} KiB as stored (deflated); ${((fileA - fileB) / experiments / 1024).toFixed(1)} KiB added per experiment`,
);
console.log(`rerun: npm run bench:index-size -- --experiments ${experiments} --objects ${objects}`);
