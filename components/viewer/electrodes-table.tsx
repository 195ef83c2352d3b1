import type { Table } from '@/viewer/nwb';

/** The NWB electrodes table (plain columns), as a table. */
export function ElectrodesTable({ table }: { table: Table }) {
  return (
    <section className="electrodes">
      <details>
        <summary>
          <h2>
            Electrodes{' '}
            <span className="muted">
              {table.total.toLocaleString('en-US')} rows{table.rows.length < table.total ? `, first ${table.rows.length} shown` : ''}
            </span>
          </h2>
        </summary>
        <div className="table-scroll">
          <table data-testid="electrodes">
            <thead>
              <tr>
                {table.columns.map((c) => (
                  <th key={c}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, c) => (
                    <td key={c}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
