/**
 * Pure translations between the HDF5 worker's protocol (viewer/protocol.ts) and H5Web's data model, kept
 * apart from React so they can be unit-tested in Node.
 */
import { DTypeClass, EntityKind, ShapeClass } from '@h5web/app';
import type { Attribute, ChildEntity, DType, Dataset, IntegerType, ProvidedEntity, Shape } from '@h5web/app';
import { ViewerError } from '../client';
import type { DimSelection, DtypeInfo, EntityInfo, ReadResult } from '../protocol';

export function toShape(shape: number[] | null | undefined): Shape {
  if (!shape) return { class: ShapeClass.Null };
  if (shape.length === 0) return { class: ShapeClass.Scalar, dims: [] };
  return { class: ShapeClass.Array, dims: shape };
}

/**
 * The protocol gives sizes in bytes, H5Web wants bits. Compound, enum and array types come without their
 * fields, members or base type, so they are shown as Unknown: H5Web then lists them (with their
 * attributes) but offers no plot rather than guessing a layout.
 */
export function toDType(type: DtypeInfo | undefined): DType {
  if (!type) return { class: DTypeClass.Unknown };
  const endianness: IntegerType['endianness'] = type.littleEndian ? 'little-endian' : 'big-endian';
  switch (type.class) {
    case 'integer':
      return { class: DTypeClass.Integer, signed: type.signed, size: type.size * 8, endianness };
    case 'float':
      return { class: DTypeClass.Float, size: type.size * 8, endianness };
    case 'string':
      return { class: DTypeClass.String, charSet: undefined, strPad: undefined };
    case 'reference':
      return { class: DTypeClass.Reference };
    default:
      return { class: DTypeClass.Unknown };
  }
}

export function toAttributes(info: EntityInfo): Attribute[] {
  return info.attributes.map((a) => ({ name: a.name, shape: toShape(a.shape), type: toDType(a.type) }));
}

export function childPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

function toDataset(info: EntityInfo): Dataset {
  return {
    name: info.name,
    path: info.path,
    kind: EntityKind.Dataset,
    attributes: toAttributes(info),
    shape: toShape(info.shape),
    type: toDType(info.type),
    ...(info.chunks ? { chunks: info.chunks } : {}),
    ...(info.filters ? { filters: info.filters } : {}),
  };
}

/**
 * One member of a group. H5Web draws a dataset's icon from its shape, so datasets need their own metadata
 * (`resolved`, fetched by the provider); a dataset without it is listed as Unresolved and still opens (H5Web
 * then asks for its entity). Groups are listed bare: H5Web asks for each one it expands.
 */
export function toChildEntity(parent: string, child: NonNullable<EntityInfo['children']>[number], resolved?: EntityInfo): ChildEntity {
  const base = { name: child.name, path: childPath(parent, child.name), attributes: [] };
  switch (child.kind) {
    case 'group':
      return { ...base, kind: EntityKind.Group };
    case 'datatype':
      return { ...base, kind: EntityKind.Datatype };
    case 'dataset':
      return resolved?.kind === 'dataset' ? toDataset(resolved) : { ...base, kind: EntityKind.Unresolved };
    default:
      return { ...base, kind: EntityKind.Unresolved };
  }
}

/** An entity as H5Web's getEntity returns it; a group's children are mapped with `resolved` datasets. */
export function toEntity(info: EntityInfo, resolved: ReadonlyMap<string, EntityInfo> = new Map()): ProvidedEntity {
  const base = { name: info.name, path: info.path, attributes: toAttributes(info) };
  switch (info.kind) {
    case 'group':
      return {
        ...base,
        kind: EntityKind.Group,
        children: (info.children ?? []).map((child) => toChildEntity(info.path, child, resolved.get(childPath(info.path, child.name)))),
      };
    case 'dataset':
      return toDataset(info);
    case 'datatype':
      return { ...base, kind: EntityKind.Datatype };
    default:
      return { ...base, kind: EntityKind.Unresolved };
  }
}

/**
 * H5Web's selection string ("0,:", ":,0", "3,:,:"; one entry per dimension, an index or ":"; "a:b" is
 * accepted too) as the worker's DimSelection[]; no selection means the whole dataset.
 */
export function parseSelection(selection: string | undefined, dims: number[]): DimSelection[] | undefined {
  if (selection === undefined || selection === '') return undefined;
  const parts = selection.split(',');
  if (parts.length !== dims.length)
    throw new ViewerError('bad-request', `selection "${selection}" has ${parts.length} entries for ${dims.length} dimensions`);
  return parts.map((part, dim): DimSelection => {
    const size = dims[dim] ?? 0;
    const text = part.trim();
    if (/^\d+$/u.test(text)) return Number(text);
    const range = /^(\d*):(\d*)$/u.exec(text);
    if (!range) throw new ViewerError('bad-request', `selection "${selection}": cannot read "${part}"`);
    return { start: range[1] ? Number(range[1]) : 0, stop: range[2] ? Number(range[2]) : size };
  });
}

/**
 * The value H5Web expects back: a scalar for a scalar dataset or a selection of single indices (H5Web's own
 * providers do the same), else the flat array of the selection.
 */
export function toValue(result: ReadResult, shape: Shape, selection: DimSelection[] | undefined): unknown {
  const scalar = shape.class === ShapeClass.Scalar || selection?.every((s) => typeof s === 'number');
  return scalar ? result.values[0] : result.values;
}
