import { describe, expect, it } from 'vitest';
import { folderTree } from './file-tree';

describe('folderTree', () => {
  it('nests files under their folders, with counts and sizes summed upwards', () => {
    const tree = folderTree('ephys/2023-04-02-e-x', [
      { key: 'ephys/2023-04-02-e-x/metadata.json', size: 10 },
      { key: 'ephys/2023-04-02-e-x/original/data/a.raw.h5', size: 100 },
      { key: 'ephys/2023-04-02-e-x/original/data/b.raw.h5', size: 200 },
      { key: 'ephys/2023-04-02-e-x/derived/kilosort2/a_phy.zip', size: 5 },
    ]);
    expect(tree.fileCount).toBe(4);
    expect(tree.totalBytes).toBe(315);
    expect(tree.files.map((f) => f.name)).toEqual(['metadata.json']);
    expect(tree.folders.map((f) => [f.path, f.fileCount, f.totalBytes])).toEqual([
      ['original', 2, 300],
      ['derived', 1, 5],
    ]);
    const data = tree.folders[0]!.folders[0]!;
    expect(data.path).toBe('original/data');
    expect(data.files.map((f) => [f.name, f.key])).toEqual([
      ['a.raw.h5', 'ephys/2023-04-02-e-x/original/data/a.raw.h5'],
      ['b.raw.h5', 'ephys/2023-04-02-e-x/original/data/b.raw.h5'],
    ]);
  });
});
