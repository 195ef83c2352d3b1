import { DataProviderApi } from '@h5web/app';
import type { AttributeValues, BuiltInExporter, Dataset, Entity, ExportFormat, ExportURL, ProvidedEntity, ValuesStoreParams } from '@h5web/app';
import type { H5Client } from '../client';
import type { EntityInfo } from '../protocol';
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
    const datasets = (info.children ?? []).filter((child) => child.kind === 'dataset');
    const resolved = new Map<string, EntityInfo>();
    if (info.kind === 'group' && datasets.length <= MAX_RESOLVED_CHILDREN) {
      const infos = await Promise.all(
        // A member whose metadata fails is listed unresolved; opening it then shows the worker's error.
        datasets.map((child) => this.client.entity(childPath(path, child.name)).catch(() => undefined)),
      );
      for (const child of infos) if (child) resolved.set(child.path, child);
    }
    return toEntity(info, resolved);
  }

  override async getValue(params: ValuesStoreParams, abortSignal?: AbortSignal): Promise<unknown> {
    const { dataset, selection } = params;
    const dims = dataset.shape.dims;
    const parsed = parseSelection(selection, dims);
    // Errors (ViewerError: too-large, filter, changed…) propagate: H5Web's error fallback shows their message.
    const result = await whileNotAborted(this.client.read(dataset.path, parsed), abortSignal);
    return toValue(result, dataset.shape, parsed);
  }

  override getAttrValues(entity: Entity): Promise<AttributeValues> {
    return this.client.attrs(entity.path);
  }

  /** H5Web's own CSV/JSON export of what is on screen; no server-side export exists. */
  override getExportURL(_format: ExportFormat, _dataset: Dataset, _selection?: string, builtInExporter?: BuiltInExporter): ExportURL | undefined {
    return builtInExporter && (async () => new Blob([builtInExporter()]));
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
