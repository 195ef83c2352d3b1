import { ImageResponse } from 'next/og';
import { firstPreviewImage, getExperiment } from '@/lib/db/queries';
import { AppError, errorResponse } from '@/lib/errors';
import { experimentFacts } from '@/lib/experiment-card';
import { describeHoldings } from '@/lib/recordings/describe';

export const dynamic = 'force-dynamic';

// The card's font (Next's bundled Geist) covers Latin text; other characters would make the renderer
// fetch fonts from the internet, which a server here cannot reach.
const latin = (text: string) => text.replace(/[^\u0020-\u024f]/g, '·');
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

// The recording's preview (800 × 240) across the card, between the text and the facts.
const PREVIEW = { width: 1072, height: 322 };

/**
 * The experiment's unfurl image (og:image): a 1200×630 PNG of its uuid, purpose and summary, and, when one of
 * its recordings has a preview, the recording's traces and spikes; with a preview there is room for fewer words.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ prefix: string; uuid: string }> }) {
  try {
    const { prefix, uuid } = await params;
    const found = getExperiment({ prefix, uuid });
    if (!found) throw new AppError('not_found:experiment', `no experiment ${prefix}/${uuid} in the index`);
    const e = found.experiment;
    const holds = describeHoldings(e);
    const preview = firstPreviewImage(e.id);
    const facts = experimentFacts(e)
      .filter((f) => f.label !== 'Chip ids')
      .slice(0, preview ? 5 : 8);
    const purpose = latin(e.purpose ?? (e.metadataError ? 'metadata could not be read' : 'no purpose recorded'));
    return new ImageResponse(
      <div
        style={{
          width: '100%',
          height: '100%',
          display: 'flex',
          flexDirection: 'column',
          padding: preview ? 48 : 64,
          background: '#0d1b2a',
          color: '#e6edf3',
        }}
      >
        <div style={{ display: 'flex', fontSize: 28, color: '#7fb3ff' }}>Braingeneers · {e.prefix}</div>
        <div style={{ display: 'flex', fontSize: preview ? 48 : 56, fontWeight: 700, marginTop: preview ? 12 : 24, lineHeight: 1.1 }}>
          {clip(latin(e.uuid), 48)}
        </div>
        <div style={{ display: 'flex', fontSize: preview ? 28 : 32, marginTop: preview ? 12 : 24, color: '#c9d1d9', lineHeight: 1.3 }}>
          {clip(purpose, preview ? 70 : 150)}
        </div>
        {holds && (
          <div style={{ display: 'flex', fontSize: preview ? 26 : 30, marginTop: preview ? 8 : 20, color: '#7ee2b8' }}>{clip(latin(holds), 70)}</div>
        )}
        {preview && (
          // biome-ignore lint/performance/noImgElement: the card is an image drawn by Satori, not a page; Next's <Image> does not apply.
          <img
            src={`data:image/png;base64,${preview.toString('base64')}`}
            width={PREVIEW.width}
            height={PREVIEW.height}
            alt=""
            style={{ marginTop: 16, borderRadius: 8, border: '1px solid #30363d' }}
          />
        )}
        <div style={{ display: 'flex', flexWrap: 'wrap', marginTop: 'auto' }}>
          {facts.map((fact) => (
            <div key={fact.label} style={{ display: 'flex', flexDirection: 'column', marginRight: 40, marginTop: preview ? 8 : 16 }}>
              <div style={{ display: 'flex', fontSize: 22, color: '#8b949e' }}>{fact.label}</div>
              <div style={{ display: 'flex', fontSize: 30 }}>{clip(latin(fact.value), 28)}</div>
            </div>
          ))}
        </div>
      </div>,
      { width: 1200, height: 630, headers: { 'Cache-Control': 'public, max-age=3600' } },
    );
  } catch (error) {
    return errorResponse(error, 'experiment card');
  }
}
