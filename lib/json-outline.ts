/**
 * What a page shows of a JSON document: every level down to `depth`, at most `nodes` entries in all, taken
 * breadth first so the top of the document is always there. Built without recursion, so any document the
 * index holds (nested 200,000 deep, 150,000 recordings wide) gives a page of bounded size; the rest is in
 * the raw file the page links to.
 */

export type OutlineNode =
  /** `length`: a string longer than the outline shows, which `value` is the start of. */
  | { key: string; kind: 'value'; value: string | number | boolean | null; length?: number }
  | { key: string; kind: 'values'; count: number; first: (string | number | boolean | null)[] }
  | { key: string; kind: 'object' | 'array'; count: number; children: OutlineNode[]; hidden: 'depth' | number };

export interface Outline {
  nodes: OutlineNode[];
  /** Top-level entries left out for the node budget. */
  hidden: number;
  /** Entries left out anywhere for the node budget (0: the outline has every entry it reached). */
  hiddenInAll: number;
  /** Some containers were not opened because they sit deeper than `depth`. */
  tooDeep: boolean;
}

export const OUTLINE_LIMITS = { depth: 12, nodes: 1000, inlineValues: 16, valueChars: 1000 } as const;

type Plain = string | number | boolean | null;
const isPlain = (value: unknown): value is Plain => value === null || typeof value !== 'object';

function entriesOf(value: object): [string, unknown][] {
  return Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
}

export function outlineJson(document: Record<string, unknown>, limits = OUTLINE_LIMITS): Outline {
  const top = { children: [] as OutlineNode[], hidden: 0 as 'depth' | number };
  let budget = limits.nodes;
  let hidden = 0;
  let tooDeep = false;
  // Breadth first: each queued container fills its children while the budget lasts.
  let level: { entries: [string, unknown][]; into: OutlineNode[]; owner: { hidden: 'depth' | number } }[] = [
    { entries: Object.entries(document), into: top.children, owner: top },
  ];
  for (let depth = 0; level.length > 0; depth++) {
    const next: typeof level = [];
    for (const { entries, into, owner } of level) {
      const shown = Math.min(entries.length, Math.max(0, budget));
      budget -= shown;
      if (shown < entries.length) {
        hidden += entries.length - shown;
        owner.hidden = entries.length - shown;
      }
      for (const [key, value] of entries.slice(0, shown)) {
        if (typeof value === 'string' && value.length > limits.valueChars) {
          into.push({ key, kind: 'value', value: value.slice(0, limits.valueChars), length: value.length });
          continue;
        }
        if (isPlain(value)) {
          into.push({ key, kind: 'value', value });
          continue;
        }
        // JSON holds nothing else than plain values, arrays and objects.
        const container = value as object;
        const array = Array.isArray(container);
        // Long arrays of plain values (channel maps, positions) are one line.
        if (Array.isArray(container) && container.length > limits.inlineValues && container.every(isPlain)) {
          into.push({ key, kind: 'values', count: container.length, first: container.slice(0, limits.inlineValues) });
          continue;
        }
        const count = Array.isArray(container) ? container.length : Object.keys(container).length;
        const node = {
          key,
          kind: array ? ('array' as const) : ('object' as const),
          count,
          children: [] as OutlineNode[],
          hidden: 0 as 'depth' | number,
        };
        into.push(node);
        if (count === 0) continue;
        if (depth + 1 >= limits.depth) {
          node.hidden = 'depth';
          tooDeep = true;
        } else next.push({ entries: entriesOf(container), into: node.children, owner: node });
      }
    }
    level = next;
  }
  return { nodes: top.children, hidden: top.hidden === 'depth' ? 0 : top.hidden, hiddenInAll: hidden, tooDeep };
}
