import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { CopyButton } from '@/components/copy-button';
import { experimentApiHref, experimentHref } from '@/contracts/experiment-href';
import { FileTree, type FileRow } from '@/components/experiment/file-tree';
import { FileViewer } from '@/components/viewer/file-viewer';
import { PythonSnippet } from '@/components/python-snippet';
import { MetadataTree } from '@/components/experiment/metadata-tree';
import { IndexingNotice } from '@/components/experiment/indexing-notice';
import { RecordingPreview } from '@/components/experiment/recording-preview';
import { getConfig } from '@/lib/config';
import { experimentPreviews, getExperiment } from '@/lib/db/queries';
import { experimentDescription, experimentFacts, unfurlLabels } from '@/lib/experiment-card';
import { formatBytes, formatDuration, formatSampleRate } from '@/lib/format';
import { folderTree } from '@/lib/file-tree';
import { contentTypeOf } from '@/lib/files';
import { OUTLINE_LIMITS, outlineJson } from '@/lib/json-outline';
import { isObject, summarizeRecordings, type JsonObject } from '@/lib/metadata-shape';
import { decodePageSegment } from '@/lib/page-params';
import { describeHoldings, describeSeries, mainSeries } from '@/lib/recordings/describe';
import { fileHoldings } from '@/lib/recordings/holdings';
import { disagreements } from '@/lib/recordings/reconcile';
import { siteOrigin } from '@/lib/site-origin';
import { askToIndex } from '@/lib/wake';

export const dynamic = 'force-dynamic';

type PageProps = { params: Promise<{ prefix: string; uuid: string }>; searchParams: Promise<{ file?: string | string[] }> };

const SITE_NAME = 'Braingeneers Search';
// Larger metadata (long channel maps) is linked rather than printed: the tree shows it already, and every
// byte of a page is rendered twice (HTML and the React payload).
const INLINE_RAW_CHARS = 16 * 1024;
// The page lists this many recordings and files; an experiment with more links to the API for the rest.
const MAX_RECORDING_ROWS = 100;
const MAX_FILE_ROWS = 1000;

async function findExperiment(params: PageProps['params']) {
  const { prefix, uuid } = await params;
  return experimentAt(prefix, uuid);
}

// By value, not by the params object: the metadata and the page of one request read the experiment once.
const experimentAt = cache(async (prefix: string, uuid: string) => {
  const decoded = { prefix: decodePageSegment(prefix), uuid: decodePageSegment(uuid) };
  if (decoded.prefix === undefined || decoded.uuid === undefined) return { found: undefined, indexing: undefined };
  const { prefix: p, uuid: u } = decoded;
  const found = getExperiment({ prefix: p, uuid: u });
  if (found) return { found, indexing: undefined };
  // A link newer than the index: the crawler is asked to index the folder; the page says so while it does.
  const state = await askToIndex(p, u);
  if (state === 'indexed') return { found: getExperiment({ prefix: p, uuid: u }), indexing: undefined };
  return { found: undefined, indexing: state === 'indexing' ? `${p}/${u}` : undefined };
});

export async function generateMetadata({ params }: PageProps): Promise<Metadata> {
  const { found, indexing } = await findExperiment(params);
  if (!found) return { title: indexing ? 'Indexing…' : 'Experiment not found' };
  const e = found.experiment;
  const origin = await siteOrigin();
  const url = `${origin}${experimentHref(e)}`;
  const description = experimentDescription(e);
  const image = { url: `${origin}${experimentHref(e, '/card')}`, width: 1200, height: 630, type: 'image/png', alt: `${e.uuid}: ${description}` };
  return {
    title: e.uuid,
    description,
    alternates: { canonical: url },
    openGraph: { type: 'website', siteName: SITE_NAME, title: e.uuid, description, url, images: [image] },
    twitter: { card: 'summary_large_image', title: e.uuid, description, images: [image] },
    other: Object.fromEntries(
      unfurlLabels(e).flatMap(({ label, value }, i) => [
        [`twitter:label${i + 1}`, label],
        [`twitter:data${i + 1}`, value],
      ]),
    ),
  };
}

function parsedMetadata(raw: string | null, error: string | null): JsonObject | null {
  if (!raw || error) return null;
  const value: unknown = JSON.parse(raw);
  return isObject(value) ? value : null;
}

export default async function ExperimentPage({ params, searchParams }: PageProps) {
  const { found, indexing } = await findExperiment(params);
  if (!found && indexing) return <IndexingNotice path={indexing} />;
  if (!found) notFound();
  const { experiment: e, files } = found;
  const rawHref = experimentHref(e, '/metadata');
  // ?file=<uuid> opens one of this experiment's HDF5 files in the page; any other value is ignored.
  const requested = (await searchParams).file;
  const opened = files.find((f) => f.uuid === requested && contentTypeOf(f.key) === 'application/x-hdf5');
  const metadata = parsedMetadata(e.metadataRaw, e.metadataError);
  const outline = metadata ? outlineJson(metadata) : undefined;
  const recordings = metadata ? summarizeRecordings(metadata) : [];
  const keys = new Map(files.map((f) => [f.key, f.uuid]));
  const holdings = fileHoldings(e.id);
  const previews = experimentPreviews(e.id);
  const holds = describeHoldings(e);
  // Block paths are written relative to the experiment or as s3:// URIs.
  const fileOf = (path: string | null) => (path ? (keys.get(`${e.path}/${path}`) ?? keys.get(path.replace(/^s3:\/\/[^/]+\//, ''))) : undefined);
  // A preview is shown once: beside its recording in the table, or else beside its file.
  const besideRecordings = new Set(recordings.slice(0, MAX_RECORDING_ROWS).flatMap((r) => r.blocks.flatMap((block) => fileOf(block.path) ?? [])));
  const tree = folderTree<FileRow>(
    e.path,
    files.slice(0, MAX_FILE_ROWS).map((f) => {
      const { holds, unreadable } = holdings.get(f.uuid) ?? {};
      const preview = besideRecordings.has(f.uuid) ? undefined : previews.get(f.uuid);
      return { ...f, viewable: contentTypeOf(f.key) === 'application/x-hdf5', holds, unreadable, preview };
    }),
  );
  const { bucket } = getConfig().s3;

  return (
    <article className="experiment">
      <h1 className="uuid">{e.uuid}</h1>
      {e.purpose && <p className="purpose">{e.purpose}</p>}
      <dl className="facts">
        {experimentFacts(e).map((fact) => (
          <div key={fact.label}>
            <dt>{fact.label}</dt>
            <dd>{fact.value}</dd>
          </div>
        ))}
      </dl>
      {holds && (
        <p className="holds">
          Its files hold: <strong>{holds}</strong>
        </p>
      )}
      {e.metadataError && <p className="error">Metadata could not be read: {e.metadataError}</p>}
      {e.metadataTruncation && (
        <p className="notice">
          Search does not see all of this metadata: {e.metadataTruncation.replace(/^only part of the metadata is searchable: /, '')}.
        </p>
      )}

      {recordings.length > 0 && (
        <section>
          <h2>Recordings ({recordings.length.toLocaleString('en-US')})</h2>
          {recordings.length > MAX_RECORDING_ROWS && (
            <p className="muted">
              The first {MAX_RECORDING_ROWS}; every recording is in <a href={rawHref}>the metadata</a>.
            </p>
          )}
          <div className="wide-table">
            <table className="recordings">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Duration</th>
                  <th>Sample rate</th>
                  <th>Channels</th>
                  <th>Files, and what they hold</th>
                </tr>
              </thead>
              <tbody>
                {recordings.slice(0, MAX_RECORDING_ROWS).map((r, i) => (
                  <tr key={i}>
                    <td>{r.name}</td>
                    <td>{r.seconds === null ? '–' : formatDuration(r.seconds)}</td>
                    <td>{r.sampleRate === null ? '–' : formatSampleRate(r.sampleRate)}</td>
                    <td>{r.channels ?? '–'}</td>
                    <td>
                      {r.blocks.map((block, i) => {
                        const uuid = fileOf(block.path);
                        const name = block.path?.split('/').at(-1) ?? `block ${i + 1}`;
                        const summary = uuid ? holdings.get(uuid)?.summary : undefined;
                        const series = summary && mainSeries(summary);
                        const disagree = summary ? disagreements(r, block, summary) : [];
                        const preview = uuid ? previews.get(uuid) : undefined;
                        return (
                          <div key={i} className="block">
                            {uuid ? <a href={`?file=${uuid}#viewer`}>{name}</a> : name}
                            {block.seconds !== null && <span className="muted"> {formatDuration(block.seconds)}</span>}
                            {series && <div className="holds">{describeSeries(series)}</div>}
                            {uuid && preview && <RecordingPreview uuid={uuid} preview={preview} />}
                            {disagree.map((line) => (
                              <div key={line} className="mismatch" role="note">
                                ⚠ {line}
                              </div>
                            ))}
                          </div>
                        );
                      })}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}

      {opened && (
        <section id="viewer">
          <h2>
            {opened.key.slice(e.path.length + 1)}{' '}
            <a className="muted" href={`/files/${opened.uuid}`}>
              full page
            </a>
          </h2>
          {/* `opened` is always an HDF5 file (see above). */}
          <PythonSnippet url={`${await siteOrigin()}/data/${opened.uuid}`} nwb={opened.key.toLowerCase().endsWith('.nwb')} />
          <FileViewer key={opened.uuid} fileUuid={opened.uuid} filename={opened.key.split('/').at(-1)!} />
        </section>
      )}

      <section>
        <h2>Files ({files.length.toLocaleString('en-US')})</h2>
        {files.length > MAX_FILE_ROWS && (
          <p className="muted">
            The first {MAX_FILE_ROWS.toLocaleString('en-US')} by name; <a href={experimentApiHref(e)}>the API</a> lists them all.
          </p>
        )}
        <FileTree tree={tree} bucket={bucket} />
      </section>

      {e.metadataRaw && (
        <section>
          <h2>
            {e.metadataSource} <CopyButton source={rawHref} label="copy JSON" title={`Copy the ${e.metadataSource}`} />
          </h2>
          {outline && <MetadataTree outline={outline} rawHref={rawHref} />}
          {outline && (outline.tooDeep || outline.hiddenInAll > 0) && (
            <p className="muted">
              The tree shows {OUTLINE_LIMITS.depth} levels and {OUTLINE_LIMITS.nodes.toLocaleString('en-US')} entries;{' '}
              <a href={rawHref}>the raw file</a> has everything.
            </p>
          )}
          {e.metadataRaw.length <= INLINE_RAW_CHARS ? (
            <details className="raw-json" open={!metadata}>
              <summary>Raw JSON</summary>
              {/* Re-indented only when shallow: a 4 KB array nested 2,000 deep would be 16 MB of indentation. */}
              <pre className="metadata">{metadata && outline && !outline.tooDeep ? JSON.stringify(metadata, null, 2) : e.metadataRaw}</pre>
            </details>
          ) : (
            <p className="raw-json">
              <a href={rawHref}>Raw JSON</a> <span className="muted">({formatBytes(e.metadataRaw.length)})</span>
            </p>
          )}
        </section>
      )}
    </article>
  );
}
