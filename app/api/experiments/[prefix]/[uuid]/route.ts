import { getExperiment } from '@/lib/db/queries';
import { AppError, errorResponse } from '@/lib/errors';

export const dynamic = 'force-dynamic';

export async function GET(_request: Request, { params }: { params: Promise<{ prefix: string; uuid: string }> }) {
  try {
    const { prefix, uuid } = await params;
    const found = getExperiment({ prefix, uuid });
    if (!found) throw new AppError('not_found:experiment', `no experiment ${prefix}/${uuid} in the index`);
    const { experiment: e, files } = found;
    return Response.json({
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
      metadata: e.metadataRaw && !e.metadataError ? JSON.parse(e.metadataRaw) : null,
      files: files.map((f) => ({ uuid: f.uuid, key: f.key, size: f.size, lastModified: f.lastModified })),
    });
  } catch (error) {
    return errorResponse(error, 'api/experiments/[prefix]/[uuid]');
  }
}
