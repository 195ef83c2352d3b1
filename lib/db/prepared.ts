/**
 * A value prepared once per connection (a statement, a set of drizzle prepared queries), kept as long as
 * the connection is: the reads every request makes and the writes a crawl makes tens of thousands of
 * times cost more to build than to run.
 */
export function perConnection<Connection extends object, T>(prepare: (connection: Connection) => T): (connection: Connection) => T {
  const prepared = new WeakMap<Connection, T>();
  return (connection) => {
    let value = prepared.get(connection);
    if (value === undefined) {
      value = prepare(connection);
      prepared.set(connection, value);
    }
    return value;
  };
}
