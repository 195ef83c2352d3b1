import { httpClient } from './app-server';
import { PROBES, probeOnce, probeUntil } from './probes';

/**
 * The probes of bench/support/probes.ts startProbeProcess: given the server's port and file uuids, each probe's
 * first answers (which load what they need once), then probes until told to stop, and their latencies back.
 */
const port = Number(process.argv[2]);
const { send, close } = httpClient(port, 1);
process.once('message', async (uuids: string[]) => {
  for (const uuid of uuids.slice(0, 8)) for (const label of PROBES) await probeOnce(send, uuid, label);
  let stopping = false;
  process.once('message', () => (stopping = true));
  process.send!('warm');
  const times = await probeUntil(send, uuids, () => stopping);
  close();
  process.send!(times, () => process.disconnect());
});
