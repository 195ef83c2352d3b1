/** A recording's preview on its experiment's page, opening the file in the viewer. */
export interface PreviewImage {
  alt: string;
  width: number;
  height: number;
}

export function RecordingPreview({ uuid, preview }: { uuid: string; preview: PreviewImage }) {
  return (
    <a href={`?file=${uuid}#viewer`} className="recording-preview-link">
      {/* biome-ignore lint/performance/noImgElement: the preview is a small PNG the crawler drew to size; next/image would encode it again per request */}
      <img
        className="recording-preview"
        src={`/files/${uuid}/preview.png`}
        alt={preview.alt}
        width={preview.width}
        height={preview.height}
        loading="lazy"
        decoding="async"
        data-testid="recording-preview"
      />
    </a>
  );
}
