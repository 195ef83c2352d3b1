import { CopyButton } from '@/components/copy-button';
import { formatBytes } from '@/lib/format';
import type { Folder } from '@/lib/file-tree';
import { RecordingPreview, type PreviewImage } from './recording-preview';

export interface FileRow {
  uuid: string;
  key: string;
  size: number;
  lastModified: Date;
  /** HDF5/NWB: the viewer can open it. */
  viewable: boolean;
  /** What the file holds, in one line (HDF5 files the crawler walked). */
  holds?: string;
  /** Why the crawler could not read it as HDF5. */
  unreadable?: string;
  /** Its preview, when the page shows it here (not beside a recording already). */
  preview?: PreviewImage;
}

function FolderView({ folder, bucket }: { folder: Folder<FileRow>; bucket: string }) {
  return (
    <ul className="file-tree">
      {folder.folders.map((child) => (
        <li key={child.path}>
          <details open>
            <summary>
              <span className="folder">{child.name}/</span>{' '}
              <span className="muted">
                {child.fileCount} {child.fileCount === 1 ? 'file' : 'files'}, {formatBytes(child.totalBytes)}
              </span>
            </summary>
            <FolderView folder={child} bucket={bucket} />
          </details>
        </li>
      ))}
      {folder.files.map((file) => (
        <li key={file.uuid} className="file">
          <span className="file-name">{file.name}</span>
          <span className="muted">{formatBytes(file.size)}</span>
          <time className="muted" dateTime={file.lastModified.toISOString()}>
            {file.lastModified.toISOString().slice(0, 16).replace('T', ' ')} UTC
          </time>
          {file.holds && <span className="holds">{file.holds}</span>}
          {file.unreadable && <span className="unreadable">{file.unreadable}</span>}
          <span className="file-actions">
            {file.viewable && <a href={`?file=${file.uuid}#viewer`}>open</a>}
            <a href={`/data/${file.uuid}?download=1`} download>
              download
            </a>
            <CopyButton text={`s3://${bucket}/${file.key}`} label="copy s3://" />
          </span>
          {file.preview && <RecordingPreview uuid={file.uuid} preview={file.preview} />}
        </li>
      ))}
    </ul>
  );
}

/** Every file of the experiment, by folder, with size, date, and what can be done with it. */
export function FileTree({ tree, bucket }: { tree: Folder<FileRow>; bucket: string }) {
  return <FolderView folder={tree} bucket={bucket} />;
}
