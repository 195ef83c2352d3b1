import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { experimentHref } from '@/contracts/experiment-href';
import { FileViewer } from '@/components/viewer/file-viewer';
import { formatBytes } from '@/lib/format';
import { AppError } from '@/lib/errors';
import { contentTypeOf, fileName, lookupFile } from '@/lib/files';
import { siteOrigin } from '@/lib/site-origin';
import { PythonSnippet } from '@/components/python-snippet';

export const dynamic = 'force-dynamic';

type PageProps = { params: Promise<{ uuid: string }> };

function findFile(uuid: string) {
  try {
    return lookupFile(uuid);
  } catch (error) {
    if (error instanceof AppError) notFound();
    throw error;
  }
}

export async function generateMetadata({ params }: PageProps): Promise<Metadata> {
  const file = findFile((await params).uuid);
  return { title: fileName(file.key), description: `${file.key} (${formatBytes(file.size)}) in ${file.experiment.uuid}` };
}

/** One file of an experiment, opened in the browser: read lazily from S3, never downloaded whole. */
export default async function FilePage({ params }: PageProps) {
  const file = findFile((await params).uuid);
  const name = fileName(file.key);
  return (
    <article className="file-page">
      <p className="muted">
        <a href={experimentHref(file.experiment)}>{file.experiment.uuid}</a> / {file.key.slice(file.experiment.path.length + 1)}
      </p>
      <h1 className="uuid">{name}</h1>
      <p className="muted">
        {formatBytes(file.size)} · modified {file.lastModified.toISOString().slice(0, 16).replace('T', ' ')} UTC ·{' '}
        <a href={`/data/${file.uuid}?download=1`} download>
          download
        </a>
      </p>
      {contentTypeOf(file.key) === 'application/x-hdf5' && (
        <PythonSnippet url={`${await siteOrigin()}/data/${file.uuid}`} nwb={name.toLowerCase().endsWith('.nwb')} />
      )}
      <FileViewer fileUuid={file.uuid} filename={name} />
    </article>
  );
}
