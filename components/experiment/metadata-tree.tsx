/**
 * A JSON document as nested <details>, open to the first level: it folds and unfolds without JavaScript.
 * Long arrays of plain values (channel maps, electrode positions) are shown as one line.
 */

const INLINE_VALUES = 16;

function Scalar({ value }: { value: unknown }) {
  if (value === null) return <span className="json-null">null</span>;
  if (typeof value === 'string') return <span className="json-string">{JSON.stringify(value)}</span>;
  return <span className="json-number">{String(value)}</span>;
}

const isPlain = (value: unknown) => value === null || typeof value !== 'object';

function Node({ name, value, depth }: { name: string; value: unknown; depth: number }) {
  if (isPlain(value)) {
    return (
      <li>
        <span className="json-key">{name}</span>: <Scalar value={value} />
      </li>
    );
  }
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value as object);
  const kind = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
  if (Array.isArray(value) && value.every(isPlain) && value.length > INLINE_VALUES) {
    return (
      <li>
        <span className="json-key">{name}</span> <span className="muted">{kind}</span>{' '}
        <span className="json-inline">{value.slice(0, INLINE_VALUES).map((v) => JSON.stringify(v)).join(', ')}, …</span>
      </li>
    );
  }
  return (
    <li>
      <details open={depth < 1}>
        <summary>
          <span className="json-key">{name}</span> <span className="muted">{kind}</span>
        </summary>
        <ul className="json-tree">
          {entries.map(([key, child]) => (
            <Node key={key} name={key} value={child} depth={depth + 1} />
          ))}
        </ul>
      </details>
    </li>
  );
}

export function MetadataTree({ document }: { document: Record<string, unknown> }) {
  return (
    <ul className="json-tree json-root">
      {Object.entries(document).map(([key, value]) => (
        <Node key={key} name={key} value={value} depth={0} />
      ))}
    </ul>
  );
}
