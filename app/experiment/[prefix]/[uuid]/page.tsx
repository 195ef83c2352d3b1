import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { getExperiment } from '@/lib/db/queries';

export const dynamic = 'force-dynamic';

type PageProps = { params: Promise<{ prefix: string; uuid: string }> };

export async function generateMetadata({ params }: PageProps): Promise<Metadata> {
  const { uuid } = await params;
  return { title: uuid };
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** A minimal experiment page (summary, metadata, files) until the full one lands. */
export default async function ExperimentPage({ params }: PageProps) {
  const found = getExperiment(await params);
  if (!found) notFound();
  const { experiment: e, files } = found;
  return (
    <article>
      <h1 className="uuid">{e.uuid}</h1>
      <p className="muted">
        {[e.prefix, e.date, e.species, e.sampleType, e.cellLine, e.hardware].filter(Boolean).join(' · ')}
      </p>
      {e.purpose && <p>{e.purpose}</p>}
      {e.metadataError && <p className="error">Metadata could not be read: {e.metadataError}</p>}
      <h2>Files ({files.length})</h2>
      <ul className="files">
        {files.map((f) => (
          <li key={f.uuid}>
            <code>{f.key.slice(e.path.length + 1)}</code> <span className="muted">{formatBytes(f.size)}</span>
          </li>
        ))}
      </ul>
      {e.metadataRaw && (
        <>
          <h2>{e.metadataSource}</h2>
          <pre className="metadata">{e.metadataError ? e.metadataRaw : JSON.stringify(JSON.parse(e.metadataRaw), null, 2)}</pre>
        </>
      )}
    </article>
  );
}
