import type { Outline, OutlineNode } from '@/lib/json-outline';

/**
 * A JSON document's outline (lib/json-outline.ts) as nested <details>, open to the first level: it folds and
 * unfolds without JavaScript. What the outline left out is named, with a link to the raw file.
 */

function Scalar({ value }: { value: string | number | boolean | null }) {
  if (value === null) return <span className="json-null">null</span>;
  if (typeof value === 'string') return <span className="json-string">{JSON.stringify(value)}</span>;
  return <span className="json-number">{String(value)}</span>;
}

const countOf = (n: number) => n.toLocaleString('en-US');

function Node({ node, depth, rawHref }: { node: OutlineNode; depth: number; rawHref: string }) {
  if (node.kind === 'value') {
    return (
      <li>
        <span className="json-key">{node.key}</span>: <Scalar value={node.value} />
        {node.length !== undefined && (
          <>
            {' '}
            <a className="muted" href={rawHref}>
              … {countOf(node.length)} characters in the raw file
            </a>
          </>
        )}
      </li>
    );
  }
  if (node.kind === 'values') {
    return (
      <li>
        <span className="json-key">{node.key}</span> <span className="muted">[{countOf(node.count)}]</span>{' '}
        <span className="json-inline">{node.first.map((v) => JSON.stringify(v)).join(', ')}, …</span>
      </li>
    );
  }
  const kind = node.kind === 'array' ? `[${countOf(node.count)}]` : `{${countOf(node.count)}}`;
  if (node.hidden === 'depth') {
    return (
      <li>
        <span className="json-key">{node.key}</span> <span className="muted">{kind}</span>{' '}
        <a className="muted" href={rawHref}>
          deeper levels in the raw file
        </a>
      </li>
    );
  }
  return (
    <li>
      <details open={depth < 1}>
        <summary>
          <span className="json-key">{node.key}</span> <span className="muted">{kind}</span>
        </summary>
        <ul className="json-tree">
          {node.children.map((child) => (
            <Node key={child.key} node={child} depth={depth + 1} rawHref={rawHref} />
          ))}
          {node.hidden > 0 && (
            <li className="muted">
              … {countOf(node.hidden)} more in <a href={rawHref}>the raw file</a>
            </li>
          )}
        </ul>
      </details>
    </li>
  );
}

export function MetadataTree({ outline, rawHref }: { outline: Outline; rawHref: string }) {
  return (
    <ul className="json-tree json-root">
      {outline.nodes.map((node) => (
        <Node key={node.key} node={node} depth={0} rawHref={rawHref} />
      ))}
      {outline.hidden > 0 && (
        <li className="muted">
          … {countOf(outline.hidden)} more in <a href={rawHref}>the raw file</a>
        </li>
      )}
    </ul>
  );
}
