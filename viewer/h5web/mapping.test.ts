import { DTypeClass, EntityKind, ShapeClass } from '@h5web/app';
import { describe, expect, it } from 'vitest';
import { ViewerError } from '../client';
import type { DtypeInfo, EntityInfo } from '../protocol';
import { parseSelection, toDType, toEntity, toShape, toValue } from './mapping';

const int16: DtypeInfo = { dtype: '<h', class: 'integer', size: 2, signed: true, littleEndian: true };
const float64: DtypeInfo = { dtype: '<d', class: 'float', size: 8, signed: false, littleEndian: true };
const text: DtypeInfo = { dtype: 'S', class: 'string', size: 8, signed: false, littleEndian: true };

describe('parseSelection', () => {
  it('reads H5Web selections: an index or ":" per dimension', () => {
    expect(parseSelection('0,:', [300000, 64])).toEqual([0, { start: 0, stop: 64 }]);
    expect(parseSelection(':,7', [300000, 64])).toEqual([{ start: 0, stop: 300000 }, 7]);
    expect(parseSelection('2,:,:', [4, 5, 6])).toEqual([2, { start: 0, stop: 5 }, { start: 0, stop: 6 }]);
    expect(parseSelection('3', [10])).toEqual([3]);
  });

  it('accepts explicit ranges and open ends', () => {
    expect(parseSelection('10:20,:5', [100, 64])).toEqual([
      { start: 10, stop: 20 },
      { start: 0, stop: 5 },
    ]);
  });

  it('means the whole dataset when there is no selection', () => {
    expect(parseSelection(undefined, [300000, 64])).toBeUndefined();
    expect(parseSelection('', [3])).toBeUndefined();
  });

  it('refuses a selection that does not fit the dataset, as a bad request', () => {
    expect(() => parseSelection('0', [3, 4])).toThrow(ViewerError);
    expect(() => parseSelection('0,x', [3, 4])).toThrow(/cannot read "x"/);
    const error = (() => {
      try {
        parseSelection('-1,:', [3, 4]);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ViewerError);
    expect((error as ViewerError).kind).toBe('bad-request');
  });
});

describe('entity mapping', () => {
  it('maps shapes: null dataspace, scalar, array', () => {
    expect(toShape(null)).toEqual({ class: ShapeClass.Null });
    expect(toShape([])).toEqual({ class: ShapeClass.Scalar, dims: [] });
    expect(toShape([300000, 64])).toEqual({ class: ShapeClass.Array, dims: [300000, 64] });
  });

  it('maps types with sizes in bits and their byte order', () => {
    expect(toDType(int16)).toEqual({ class: DTypeClass.Integer, signed: true, size: 16, endianness: 'little-endian' });
    expect(toDType({ ...float64, littleEndian: false })).toEqual({ class: DTypeClass.Float, size: 64, endianness: 'big-endian' });
    expect(toDType(text)).toMatchObject({ class: DTypeClass.String });
    expect(toDType({ ...int16, class: 'reference' })).toEqual({ class: DTypeClass.Reference });
    // No fields or members in the protocol: shown as Unknown rather than guessed.
    expect(toDType({ ...int16, class: 'compound' })).toEqual({ class: DTypeClass.Unknown });
    expect(toDType(undefined)).toEqual({ class: DTypeClass.Unknown });
  });

  it('maps a group with its members, datasets resolved where their metadata is known', () => {
    const group: EntityInfo = {
      path: '/acquisition',
      name: 'acquisition',
      kind: 'group',
      children: [
        { name: 'ElectricalSeries', kind: 'group' },
        { name: 'data', kind: 'dataset' },
        { name: 'other', kind: 'dataset' },
        { name: 'dtype', kind: 'datatype' },
        { name: 'link', kind: 'other' },
      ],
      attributes: [{ name: 'neurodata_type', shape: [], type: text }],
    };
    const data: EntityInfo = {
      path: '/acquisition/data',
      name: 'data',
      kind: 'dataset',
      shape: [300000, 64],
      type: int16,
      chunks: [8192, 64],
      filters: [{ id: 1, name: 'deflate' }],
      attributes: [{ name: 'conversion', shape: [], type: float64 }],
    };
    const entity = toEntity(group, new Map([[data.path, data]]));
    expect(entity).toMatchObject({ name: 'acquisition', path: '/acquisition', kind: EntityKind.Group });
    expect(entity.attributes).toEqual([{ name: 'neurodata_type', shape: { class: ShapeClass.Scalar, dims: [] }, type: toDType(text) }]);
    if (!('children' in entity)) throw new Error('expected a group with children');
    expect(entity.children.map((c) => [c.path, c.kind])).toEqual([
      ['/acquisition/ElectricalSeries', EntityKind.Group],
      ['/acquisition/data', EntityKind.Dataset],
      ['/acquisition/other', EntityKind.Unresolved],
      ['/acquisition/dtype', EntityKind.Datatype],
      ['/acquisition/link', EntityKind.Unresolved],
    ]);
    expect(entity.children[1]).toEqual({
      name: 'data',
      path: '/acquisition/data',
      kind: EntityKind.Dataset,
      shape: { class: ShapeClass.Array, dims: [300000, 64] },
      type: { class: DTypeClass.Integer, signed: true, size: 16, endianness: 'little-endian' },
      chunks: [8192, 64],
      filters: [{ id: 1, name: 'deflate' }],
      attributes: [{ name: 'conversion', shape: { class: ShapeClass.Scalar, dims: [] }, type: toDType(float64) }],
    });
  });

  it('maps the root group and children paths under it', () => {
    const root = toEntity({ path: '/', name: '/', kind: 'group', children: [{ name: 'general', kind: 'group' }], attributes: [] });
    expect(root).toMatchObject({ kind: EntityKind.Group, children: [{ name: 'general', path: '/general' }] });
  });

  it('maps a dataset with a null dataspace', () => {
    const entity = toEntity({ path: '/empty', name: 'empty', kind: 'dataset', shape: null, type: float64, chunks: null, attributes: [] });
    expect(entity).toEqual({
      name: 'empty',
      path: '/empty',
      kind: EntityKind.Dataset,
      shape: { class: ShapeClass.Null },
      type: toDType(float64),
      attributes: [],
    });
  });
});

describe('toValue', () => {
  const values = Int16Array.from([5, 6, 7]);
  it('gives a scalar for a scalar dataset or a selection of single indices, else the flat array', () => {
    expect(toValue({ shape: [], type: int16, values: [42] }, toShape([]), undefined)).toBe(42);
    expect(toValue({ shape: [], type: int16, values: [5] }, toShape([3, 4]), [1, 2])).toBe(5);
    expect(toValue({ shape: [3], type: int16, values }, toShape([3, 4]), [{ start: 0, stop: 3 }, 1])).toBe(values);
    expect(toValue({ shape: [3], type: int16, values }, toShape([3]), undefined)).toBe(values);
  });
});
