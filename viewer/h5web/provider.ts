import { DataProviderApi } from '@h5web/app';
import type { AttributeValues, BuiltInExporter, Dataset, Entity, ExportFormat, ExportURL, ProvidedEntity, ValuesStoreParams } from '@h5web/app';
import type { H5Client } from '../client';
import { ViewerError } from '../client';
import { MAX_READ_BYTES, type EntityInfo } from '../protocol';
import { childPath, parseSelection, toEntity, toValue } from './mapping';

/**
 * Above this many datasets in one group, members are listed without their metadata (one worker request each
 * otherwise): H5Web shows them as unresolved entities, which still open when clicked.
 */
const MAX_RESOLVED_CHILDREN = 200;

/** H5Web's data source: every call goes to the HDF5 worker through H5Client. */
export class WorkerProvider extends DataProviderApi {
  constructor(
    private readonly client: H5Client,
    filename: string,
  ) {
    super(filename);
  }

  override async getEntity(path: string): Promise<ProvidedEntity> {
    const info = await this.client.entity(path);
    if (info.kind === 'dataset') preferLine(tooLargeWhole(info));
    const datasets = (info.children ?? []).filter((child) => child.kind === 'dataset');
    const resolved = new Map<string, EntityInfo>();
    if (info.kind === 'group' && datasets.length <= MAX_RESOLVED_CHILDREN) {
      const infos = await Promise.all(
        // A member whose metadata fails is listed unresolved; opening it then shows the worker's error.
        datasets.map((child) => this.client.entity(childPath(path, child.name)).catch(() => undefined)),
      );
      for (const child of infos) if (child) resolved.set(child.path, child);
      // H5Web opens a listed dataset without asking for it again: the choice of view is made for the group.
      preferLine(infos.some((child) => child !== undefined && tooLargeWhole(child)));
    }
    return toEntity(info, resolved);
  }

  override async getValue(params: ValuesStoreParams, abortSignal?: AbortSignal): Promise<unknown> {
    const { dataset, selection } = params;
    const dims = dataset.shape.dims;
    const parsed = parseSelection(selection, dims);
    // Errors (ViewerError: filter, changed…) propagate: H5Web's error fallback shows their message.
    try {
      const result = await whileNotAborted(this.client.read(dataset.path, parsed), abortSignal);
      return toValue(result, dataset.shape, parsed);
    } catch (error) {
      // The page's H5Client and its errors come from the page's bundle, not this one: known by name, not class.
      if (error instanceof Error && error.name === 'ViewerError' && (error as ViewerError).kind === 'too-large') {
        throw new ViewerError(
          'too-large',
          `${error.message.split(';')[0]}: the Line view reads one row or column at a time (choose its axes above), and the trace view above any window of a recording`,
        );
      }
      throw error;
    }
  }

  override getAttrValues(entity: Entity): Promise<AttributeValues> {
    return this.client.attrs(entity.path);
  }

  /** H5Web's own CSV/JSON export of what is on screen; no server-side export exists. */
  override getExportURL(_format: ExportFormat, _dataset: Dataset, _selection?: string, builtInExporter?: BuiltInExporter): ExportURL | undefined {
    return builtInExporter && (async () => new Blob([builtInExporter()]));
  }
}

/** A dataset of two or more dimensions that no view may read whole. */
function tooLargeWhole(info: EntityInfo): boolean {
  const bytes = (info.shape ?? []).reduce((n, size) => n * size, 1) * (info.type?.size ?? 1);
  return info.kind === 'dataset' && bytes > MAX_READ_BYTES && (info.shape?.length ?? 0) >= 2;
}

// H5Web opens a dataset in the view its user chose last, else its last choice (Heatmap for a 2D dataset),
// which reads the whole dataset. H5Web keeps that choice in localStorage under this key (as JSON).
const PREFERRED_VIS = 'h5web:preferredVis';
const LINE = JSON.stringify('Line');
let preferredHere = false;

/**
 * Datasets too large to read whole open in the Line view, which reads one row at a time. The choice is made
 * when their group is listed (H5Web opens a listed dataset without asking for it again): Line is already
 * H5Web's choice for the group's one-dimensional members. Elsewhere datasets open as H5Web would open them:
 * the preference this set is taken back, and a user's own choice is left alone.
 */
function preferLine(line: boolean): void {
  try {
    if (line && localStorage.getItem(PREFERRED_VIS) === null) {
      localStorage.setItem(PREFERRED_VIS, LINE);
      preferredHere = true;
    } else if (!line && preferredHere) {
      if (localStorage.getItem(PREFERRED_VIS) === LINE) localStorage.removeItem(PREFERRED_VIS);
      preferredHere = false;
    }
  } catch {
    // Storage refused (private browsing): H5Web's default, and the too-large message then says what to do.
  }
}

/**
 * The worker cannot cancel a read, but H5Web's "Cancel" must not wait for it: reject with the signal's
 * reason (H5Web's AbortError, which it shows as "Request cancelled" with a retry button).
 */
function whileNotAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
