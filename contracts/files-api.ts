import { z } from 'zod';
import { hdf5Summary } from './hdf5-summary';

/**
 * `GET /api/files/<uuid>`: the file, where a reader gets its bytes (a presigned S3 URL, or the app's own
 * /data for keys no URL can name), what an HDF5 file holds (its summary, or why it could not be read),
 * and with `?manifest=1` the bytes of its HDF5 structure, if the crawler built them. The route builds it;
 * the viewer's worker checks what it receives against it.
 */
export const filesApiAnswer = z.object({
  uuid: z.string(),
  key: z.string(),
  size: z.number().int().nonnegative(),
  etag: z.string(),
  lastModified: z.string(),
  contentType: z.string(),
  experiment: z.object({ uuid: z.string(), prefix: z.string(), path: z.string() }),
  url: z.string(),
  expiresAt: z.string(),
  /** For HDF5 files the crawler walked: what the file holds (null when it could not be read, see `unreadable`). */
  summary: hdf5Summary.nullable().optional(),
  unreadable: z.string().nullable().optional(),
  manifest: z
    .object({
      /** Sorted, disjoint [start, length] pairs. */
      ranges: z.array(z.tuple([z.number().int().nonnegative(), z.number().int().positive()])),
      /** The ranges' bytes, one after another, in base64. */
      bytes: z.string(),
    })
    .nullable()
    .optional(),
});

export type FilesApiAnswer = z.infer<typeof filesApiAnswer>;

/**
 * Readers of one file that may read it side by side, each asking `/api/files/<uuid>?reader=<n>` for a URL of
 * its own: Chromium's HTTP cache lets one request per URL run at a time, so readers sharing a URL would
 * wait for each other. Presigned URLs differ by their lifetime, `n` seconds shorter for reader `n`; a file
 * the app streams (`/data/<uuid>`) has one URL for all.
 */
export const FILE_READERS = 8;

/** What the viewer keeps of the answer about the file it opened. */
export type FileInfo = Pick<FilesApiAnswer, 'uuid' | 'key' | 'size' | 'etag' | 'contentType' | 'experiment' | 'summary'>;
