import type { H5Client } from './client';
import { ELECTRODES_TABLE, type SeriesInfo } from './nwb';

/**
 * What each channel of a series is, from the NWB electrodes table: the series' `electrodes` region names the
 * table's row of each channel; the row gives its name, electrode group, location and position on the array.
 */

export interface ChannelInfo {
  /** The channel name (`channel_name`, `label`), else the electrode's id, else the channel's index. */
  label: string;
  /** The electrodes table's row, or null without a table. */
  row: number | null;
  electrodeId: number | null;
  group: string | null;
  location: string | null;
  /** Position on the array (rel_x/rel_y, else x/y), null when the file has none. */
  x: number | null;
  y: number | null;
}

type Column = ArrayLike<unknown> | null;

async function column(client: H5Client, names: string[], members: Set<string>): Promise<Column> {
  const name = names.find((n) => members.has(n));
  if (!name) return null;
  const entity = await client.entity(`${ELECTRODES_TABLE}/${name}`).catch(() => null);
  if (entity?.kind !== 'dataset' || entity.shape?.length !== 1 || entity.type?.class === 'reference') return null;
  return (await client.read(`${ELECTRODES_TABLE}/${name}`)).values;
}

const text = (value: unknown) => (value === undefined || value === null || value === '' ? null : String(value));
const finite = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** One entry per channel of the series, in its order. */
export async function readChannels(client: H5Client, series: SeriesInfo): Promise<ChannelInfo[]> {
  const table = await client.entity(ELECTRODES_TABLE).catch(() => null);
  const members = new Set(table?.children?.map((c) => c.name));
  const region = members.size ? await client.read(`${series.path}/electrodes`).catch(() => null) : null;
  const rows = region && region.values.length === series.channels ? Array.from(region.values as ArrayLike<number>, Number) : null;
  const [ids, names, groups, locations, xs, ys] = await Promise.all([
    column(client, ['id'], members),
    column(client, ['channel_name', 'label'], members),
    column(client, ['group_name'], members),
    column(client, ['location'], members),
    column(client, ['rel_x', 'x'], members),
    column(client, ['rel_y', 'y'], members),
  ]);
  return Array.from({ length: series.channels }, (_, c) => {
    const row = rows ? rows[c]! : members.size ? c : null;
    const at = (values: Column) => (row === null || !values ? undefined : values[row]);
    const electrodeId = finite(at(ids));
    return {
      label: text(at(names)) ?? (electrodeId !== null ? `e${electrodeId}` : String(c)),
      row,
      electrodeId,
      group: text(at(groups)),
      location: text(at(locations)),
      x: finite(at(xs)),
      y: finite(at(ys)),
    };
  });
}

/** A channel's description for a tooltip: its name, electrode, group, location and position. */
export function describeChannel(channel: ChannelInfo, index: number): string {
  return [
    `channel ${index}: ${channel.label}`,
    channel.electrodeId !== null ? `electrode ${channel.electrodeId}` : null,
    channel.group ? `group ${channel.group}` : null,
    channel.location,
    channel.x !== null && channel.y !== null ? `at (${channel.x}, ${channel.y})` : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The series' channels by electrode group, groups in the order their first channel comes. */
export function channelGroups(channels: ChannelInfo[] | null): { name: string; channels: number[] }[] {
  const groups = new Map<string, number[]>();
  channels?.forEach((c, index) => {
    if (c.group === null) return;
    groups.set(c.group, [...(groups.get(c.group) ?? []), index]);
  });
  return [...groups].map(([name, list]) => ({ name, channels: list }));
}
