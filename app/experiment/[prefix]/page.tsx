import type { Metadata } from 'next';
import { notFound, redirect } from 'next/navigation';
import { experimentHref } from '@/contracts/experiment-href';
import { findExperimentsByUuid } from '@/lib/db/queries';
import { decodePageSegment } from '@/lib/page-params';

export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Which experiment?' };

/**
 * `/experiment/<uuid>`, the lab's links without a prefix (the segment is named `prefix` only because it
 * sits beside `[prefix]/[uuid]`): redirected to the canonical URL when one experiment has that uuid.
 */
export default async function ExperimentByUuid({ params }: { params: Promise<{ prefix: string }> }) {
  const uuid = decodePageSegment((await params).prefix);
  const found = uuid === undefined ? [] : findExperimentsByUuid(uuid);
  if (found.length === 0) notFound();
  if (found.length === 1) redirect(experimentHref(found[0]!));
  return (
    <article>
      <h1 className="uuid">{uuid}</h1>
      <p>This uuid names {found.length} experiments, one per modality:</p>
      <ul>
        {found.map((e) => (
          <li key={e.prefix}>
            <a href={experimentHref(e)}>
              {e.prefix}/{e.uuid}
            </a>{' '}
            <span className="muted">{[e.date, e.purpose].filter(Boolean).join(' · ')}</span>
          </li>
        ))}
      </ul>
    </article>
  );
}
