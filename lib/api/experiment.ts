import 'server-only';
import { experimentPreviews, getExperiment } from '@/lib/db/queries';
import { AppError, errorResponse } from '@/lib/errors';
import { fileHoldings, recordingFactsOf } from '@/lib/recordings/holdings';

export async function GET(_request: Request, { params }: { params: Promise<{ prefix: string; uuid: string }> }) {
  try {
    const { prefix, uuid } = await params;
    const found = getExperiment({ prefix, uuid });
    if (!found) throw new AppError('not_found:experiment', `no experiment ${prefix}/${uuid} in the index`);
    const { experiment: e, files } = found;
    const holdings = fileHoldings(e.id);
    const previews = experimentPreviews(e.id);
    const answer = JSON.stringify({
      uuid: e.uuid,
      prefix: e.prefix,
      path: e.path,
      date: e.date,
      species: e.species,
      sampleType: e.sampleType,
      cellLine: e.cellLine,
      hardware: e.hardware,
      chipIds: e.chipIds,
      channelCount: e.channelCount,
      sampleRate: e.sampleRate,
      recordingNames: e.recordingNames,
      purpose: e.purpose,
      metadataSource: e.metadataSource,
      metadataError: e.metadataError,
      metadataTruncation: e.metadataTruncation,
      recordings: recordingFactsOf(e),
      files: files.map((f) => {
        const { holds, unreadable } = holdings.get(f.uuid) ?? {};
        const preview = previews.get(f.uuid);
        return {
          uuid: f.uuid,
          key: f.key,
          size: f.size,
          lastModified: f.lastModified,
          holds,
          unreadable,
          preview: preview && { url: `/files/${f.uuid}/preview.png`, alt: preview.alt },
        };
      }),
    });
    // The stored text is the document as it parsed, so it is put in as it is: parsing it again and
    // serializing it would cost as much as the rest of the answer, and overflow the stack on one nested
    // a few thousand levels deep.
    const metadata = e.metadataRaw !== null && e.metadataError === null ? e.metadataRaw.trim() : 'null';
    return new Response(`${answer.slice(0, -1)},"metadata":${metadata}}`, { headers: { 'Content-Type': 'application/json' } });
  } catch (error) {
    return errorResponse(error, 'api/experiments/[prefix]/[uuid]');
  }
}
