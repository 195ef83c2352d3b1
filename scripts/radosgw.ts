/**
 * A throwaway single-node Ceph cluster (1 mon, 1 memstore OSD, radosgw) on 127.0.0.1, so tests run against
 * the same S3 server the lab uses: real SigV4 checking, AWS-like listings. Settings measured on these
 * machines: `tcp_nodelay=1` on the beast frontend (without it every GET or LIST took about 48 ms, with it
 * about 3 ms); `paxos_propose_interval = 0.05` and `paxos_min_wait = 0.01` (a cold start fell from 13.5 s
 * to 1.6 s); no crush update on start, the OSD added to the map by hand (otherwise it died with "wrong
 * fsid"); pools of size 1; memstore, so data lives in RAM and is gone when the cluster stops.
 *
 * Run directly: `npx tsx scripts/radosgw.ts [--port N]` prints one JSON line and runs until SIGINT/SIGTERM.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, rmSync } from 'node:fs';
import { access, constants, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { freePort } from './free-port';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RadosgwServer {
  endpoint: string;
  port: number;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  dir: string;
  stop(): Promise<void>;
  restartGateway(): Promise<void>;
  /** Another S3 user, with keys of its own and no access to the first user's buckets until a policy grants it. */
  createUser(uid: string): Promise<{ accessKeyId: string; secretAccessKey: string; arn: string }>;
}

export const INSTALL_COMMAND = 'apt-get update && apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd ceph-common';

// Fixed so that a developer can point other tools at a server started by hand without reading its output.
const ACCESS_KEY_ID = 'BRAINGENEERSTESTKEY0';
const SECRET_ACCESS_KEY = 'braingeneers-test-secret-0000000000000000';
// radosgw accepts any region in the SigV4 scope; us-east-1 keeps the SDK from sending a LocationConstraint.
const REGION = 'us-east-1';

const REQUIRED_BINARIES = ['radosgw', 'radosgw-admin', 'ceph-mon', 'ceph-osd', 'ceph', 'ceph-authtool', 'monmaptool'];
const STEP_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 10_000;
const POLL_MS = 50;

interface Daemon {
  name: string;
  child: ChildProcess;
  exited: Promise<void>;
  exitCode: number | null | undefined;
}

// Daemons still running when the process exits (a crashed test, a forgotten stop()): killed synchronously
// in an 'exit' hook, because nothing else would ever stop them.
const liveDaemons = new Set<Daemon>();
const liveDirs = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const daemon of liveDaemons) {
      if (daemon.child.pid !== undefined) {
        try {
          process.kill(daemon.child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    }
    for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
  });
}

async function assertInstalled(): Promise<void> {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const binary of REQUIRED_BINARIES) {
    let found = false;
    for (const dir of dirs) {
      try {
        await access(join(dir, binary), constants.X_OK);
        found = true;
        break;
      } catch {
        // Not in this PATH entry.
      }
    }
    if (!found) throw new Error(INSTALL_COMMAND);
  }
}

async function logTail(dir: string, name: string, lines = 30): Promise<string> {
  const parts: string[] = [];
  // The .out file holds what the daemon printed before its log file was open (config errors, asserts).
  for (const file of [join(dir, 'log', `${name}.log`), join(dir, 'log', `${name}.out`)]) {
    try {
      const text = (await readFile(file, 'utf8')).trimEnd();
      if (text) parts.push(`--- last ${lines} lines of ${file} ---\n${text.split('\n').slice(-lines).join('\n')}`);
    } catch {
      // A daemon that never started has no log.
    }
  }
  return parts.length ? parts.join('\n') : `(no log for ${name} in ${join(dir, 'log')})`;
}

async function run(dir: string, logName: string, command: string, args: string[]): Promise<string> {
  return new Promise((resolveRun, reject) => {
    execFile(command, args, { cwd: dir, timeout: STEP_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) {
        resolveRun(stdout);
        return;
      }
      const reason = error.killed ? `timed out after ${STEP_TIMEOUT_MS / 1000} s` : `failed (${error.message.split('\n')[0]})`;
      void logTail(dir, logName).then((tail) => reject(new Error(`${command} ${args.join(' ')} ${reason}\n${stderr.trim()}\n${tail}`)));
    });
  });
}

/**
 * Runs the daemon in the foreground (-f) as our own child instead of letting it fork: a forked daemon is
 * re-parented to PID 1, which on these machines reaps only seconds later, so stopped daemons lingered as
 * zombies. As a child it is reaped at once, and a crash during startup is seen at once instead of at the
 * end of a wait loop.
 */
function startDaemon(dir: string, name: string, command: string, args: string[]): Daemon {
  const out = openSync(join(dir, 'log', `${name}.out`), 'a');
  // Not detached: a Ctrl-C in the terminal (on vitest, say) then stops the daemons too, even when the host
  // process dies without calling stop().
  const child = spawn(command, [...args, '-f'], { cwd: dir, stdio: ['ignore', out, out] });
  closeSync(out);
  let markExited: (code: number | null) => void = () => undefined;
  const exited = new Promise<void>((resolveExit) => {
    markExited = (code) => {
      daemon.exitCode = code;
      liveDaemons.delete(daemon);
      resolveExit();
    };
  });
  const daemon: Daemon = { name, child, exited, exitCode: undefined };
  child.once('exit', (code) => markExited(code));
  child.once('error', () => markExited(null));
  liveDaemons.add(daemon);
  return daemon;
}

async function stopDaemon(daemon: Daemon): Promise<void> {
  // Signalled by our child's PID rather than the pid file: with -f they are the same process, and radosgw
  // in the foreground writes no pid file at all.
  const pid = daemon.child.pid;
  if (daemon.exitCode !== undefined || pid === undefined) return;
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(pid, sig);
    } catch {
      // Exited between the check and the signal.
    }
  };
  signal('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const graceful = await Promise.race([
    daemon.exited.then(() => true),
    new Promise<boolean>((resolveTimer) => {
      timer = setTimeout(() => resolveTimer(false), STOP_GRACE_MS);
    }),
  ]);
  clearTimeout(timer);
  if (!graceful) {
    signal('SIGKILL');
    await daemon.exited;
  }
}

async function waitFor(what: string, dir: string, daemon: Daemon, check: () => Promise<boolean>, timeoutMs = STEP_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (daemon.exitCode !== undefined) {
      throw new Error(`${daemon.name} exited (code ${daemon.exitCode}) while waiting for ${what}\n${await logTail(dir, daemon.name)}`);
    }
    if (await check()) return;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}\n${await logTail(dir, daemon.name)}`);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

function httpAnswers(port: number): Promise<boolean> {
  return new Promise((resolveCheck) => {
    // agent: false so no pooled socket outlives the check and keeps the process alive.
    const req = request({ host: '127.0.0.1', port, path: '/', method: 'GET', agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolveCheck(true);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolveCheck(false));
    req.end();
  });
}

function cephConf(dir: string, fsid: string, monPort: number, rgwPort: number): string {
  return `[global]
fsid = ${fsid}
# msgr2 only, so the monitor needs one port instead of two.
mon_host = v2:127.0.0.1:${monPort}
ms_bind_msgr1 = false
public_addr = 127.0.0.1
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
# radosgw defaults to ms_mon_client_mode = secure, impossible without cephx: it then retries auth for 300 s.
ms_mon_client_mode = crc
client_mount_timeout = 30
run_dir = ${dir}/run
log_file = ${dir}/log/$name.log
admin_socket = ${dir}/run/$name.asok
pid_file = ${dir}/run/$name.pid
mon_data = ${dir}/mon/$name
osd_data = ${dir}/osd/$name
keyring = ${dir}/keyring
osd_objectstore = memstore
osd_crush_update_on_start = false
osd_class_update_on_start = false
osd_pool_default_size = 1
osd_pool_default_min_size = 1
mon_allow_pool_size_one = true
osd_pool_default_pg_num = 1
osd_pool_default_pgp_num = 1
osd_pool_default_pg_autoscale_mode = off
osd_crush_chooseleaf_type = 0
mon_warn_on_pool_no_redundancy = false
mon_warn_on_insecure_global_id_reclaim_allowed = false
paxos_propose_interval = 0.05
paxos_min_wait = 0.01
# A Ctrl-C stops the monitor together with the OSD, which then waited 5 s to tell the gone monitor goodbye.
osd_mon_shutdown_timeout = 0.5

[client.rgw.a]
rgw_frontends = beast endpoint=127.0.0.1:${rgwPort} tcp_nodelay=1
`;
}

export async function startRadosgw(options: { port?: number } = {}): Promise<RadosgwServer> {
  await assertInstalled();
  installExitHook();

  const dir = await mkdtemp(join(tmpdir(), 'radosgw-'));
  liveDirs.add(dir);
  const conf = join(dir, 'ceph.conf');
  const daemons: Daemon[] = [];
  let gateway: Daemon | undefined;
  let stopping: Promise<void> | undefined;

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      // Gateway first, monitor last: the OSD reports its shutdown to the monitor.
      if (gateway) await stopDaemon(gateway);
      for (const daemon of [...daemons].reverse()) await stopDaemon(daemon);
      await rm(dir, { recursive: true, force: true });
      liveDirs.delete(dir);
    })();
    return stopping;
  };

  try {
    const [monPort, rgwPort] = await Promise.all([freePort(), options.port ?? freePort()]);
    const fsid = randomUUID();
    await Promise.all(['run', 'log', 'mon', 'osd/osd.0'].map((sub) => mkdir(join(dir, sub), { recursive: true })));
    await writeFile(conf, cephConf(dir, fsid, monPort, rgwPort));

    await run(dir, 'mon.a', 'ceph-authtool', ['--create-keyring', join(dir, 'keyring'), '--gen-key', '-n', 'mon.', '--cap', 'mon', 'allow *']);
    await run(dir, 'mon.a', 'monmaptool', ['--create', '--fsid', fsid, '--addv', 'a', `[v2:127.0.0.1:${monPort}]`, join(dir, 'monmap')]);
    await run(dir, 'mon.a', 'ceph-mon', ['-c', conf, '--mkfs', '-i', 'a', '--monmap', join(dir, 'monmap'), '--keyring', join(dir, 'keyring')]);
    const mon = startDaemon(dir, 'mon.a', 'ceph-mon', ['-c', conf, '-i', 'a']);
    daemons.push(mon);

    const ceph = (...args: string[]): Promise<string> =>
      run(dir, 'mon.a', 'ceph', ['-c', conf, '--connect-timeout', String(STEP_TIMEOUT_MS / 1000), ...args]);
    const osdUuid = randomUUID();
    const osdId = (await ceph('osd', 'new', osdUuid)).trim();
    if (osdId !== '0') throw new Error(`expected the monitor to assign osd.0, got ${JSON.stringify(osdId)}`);
    // The note: with crush updates on start the OSD died with "wrong fsid", so it is placed by hand.
    await ceph('osd', 'crush', 'add', 'osd.0', '1.0', 'root=default');
    await run(dir, 'osd.0', 'ceph-osd', ['-c', conf, '-i', '0', '--mkfs', '--osd-uuid', osdUuid]);
    const osd = startDaemon(dir, 'osd.0', 'ceph-osd', ['-c', conf, '-i', '0']);
    daemons.push(osd);
    await waitFor('the OSD to be up', dir, osd, async () => {
      const stat: unknown = JSON.parse(await ceph('osd', 'stat', '-f', 'json'));
      return typeof stat === 'object' && stat !== null && 'num_up_osds' in stat && stat.num_up_osds === 1;
    });

    const startGateway = async (): Promise<void> => {
      gateway = startDaemon(dir, 'client.rgw.a', 'radosgw', ['-c', conf, '-n', 'client.rgw.a']);
      await waitFor(`radosgw to answer HTTP on 127.0.0.1:${rgwPort}`, dir, gateway, () => httpAnswers(rgwPort));
    };
    await startGateway();
    await run(dir, 'client.rgw.a', 'radosgw-admin', [
      '-c',
      conf,
      'user',
      'create',
      '--uid=test',
      '--display-name=test',
      `--access-key=${ACCESS_KEY_ID}`,
      `--secret=${SECRET_ACCESS_KEY}`,
    ]);

    return {
      endpoint: `http://127.0.0.1:${rgwPort}`,
      port: rgwPort,
      region: REGION,
      accessKeyId: ACCESS_KEY_ID,
      secretAccessKey: SECRET_ACCESS_KEY,
      dir,
      stop,
      restartGateway: async () => {
        if (stopping) throw new Error('restartGateway() called after stop()');
        if (gateway) await stopDaemon(gateway);
        await startGateway();
      },
      createUser: async (uid) => {
        const keys = {
          accessKeyId: `BGS${randomUUID().replaceAll('-', '').slice(0, 17).toUpperCase()}`,
          secretAccessKey: randomUUID() + randomUUID(),
        };
        await run(dir, 'client.rgw.a', 'radosgw-admin', [
          '-c',
          conf,
          'user',
          'create',
          `--uid=${uid}`,
          `--display-name=${uid}`,
          `--access-key=${keys.accessKeyId}`,
          `--secret=${keys.secretAccessKey}`,
        ]);
        // radosgw names a user of the default tenant so in bucket policies.
        return { ...keys, arn: `arn:aws:iam:::user/${uid}` };
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function parsePort(argv: string[]): number | undefined {
  const index = argv.findIndex((arg) => arg === '--port' || arg.startsWith('--port='));
  if (index === -1) return undefined;
  const arg = argv[index] ?? '';
  const raw = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1];
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--port needs a number from 1 to 65535, got ${raw}`);
  return port;
}

async function main(): Promise<void> {
  const started = performance.now();
  const server = await startRadosgw({ port: parsePort(process.argv.slice(2)) });
  const { endpoint, port, region, accessKeyId, secretAccessKey, dir } = server;
  const startupMs = Math.round(performance.now() - started);
  process.stdout.write(`${JSON.stringify({ endpoint, port, region, accessKeyId, secretAccessKey, dir, startupMs })}\n`);
  let stopping = false;
  const shutdown = (): void => {
    // A Ctrl-C reaches us twice (from the terminal and relayed by tsx); the listener must stay installed,
    // or the second signal kills us with the default action and leaves the daemons running.
    if (stopping) return;
    stopping = true;
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
