/** An experiment's files as folders, for a tree view: keys are split below the experiment's own path. */

export interface TreeFile {
  key: string;
  size: number;
}

export interface Folder<F extends TreeFile> {
  name: string;
  /** Path below the experiment, '' for the experiment itself. */
  path: string;
  folders: Folder<F>[];
  files: (F & { name: string })[];
  fileCount: number;
  totalBytes: number;
}

export function folderTree<F extends TreeFile>(experimentPath: string, files: F[]): Folder<F> {
  const root: Folder<F> = { name: '', path: '', folders: [], files: [], fileCount: 0, totalBytes: 0 };
  for (const file of files) {
    const parts = file.key.slice(experimentPath.length + 1).split('/');
    const name = parts.pop()!;
    let folder = root;
    const trail = [root];
    for (const part of parts) {
      let child = folder.folders.find((f) => f.name === part);
      if (!child) {
        child = { name: part, path: folder.path ? `${folder.path}/${part}` : part, folders: [], files: [], fileCount: 0, totalBytes: 0 };
        folder.folders.push(child);
      }
      folder = child;
      trail.push(folder);
    }
    folder.files.push({ ...file, name });
    for (const f of trail) {
      f.fileCount++;
      f.totalBytes += file.size;
    }
  }
  return root;
}
