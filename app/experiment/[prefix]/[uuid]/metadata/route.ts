import { getExperiment } from '@/lib/db/queries';
import { AppError, errorResponse } from '@/lib/errors';

export const dynamic = 'force-dynamic';

/** The experiment's metadata file as the crawler read it (JSON, or the text of a broken one). */
export async function GET(_request: Request, { params }: { params: Promise<{ prefix: string; uuid: string }> }) {
  try {
    const { prefix, uuid } = await params;
    const found = getExperiment({ prefix, uuid });
    if (!found?.experiment.metadataRaw) throw new AppError('not_found:experiment', `no metadata for ${prefix}/${uuid} in the index`);
    const { metadataRaw, metadataError } = found.experiment;
    return new Response(metadataRaw, {
      headers: {
        'Content-Type': metadataError ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      },
    });
  } catch (error) {
    return errorResponse(error, 'experiment metadata');
  }
}
