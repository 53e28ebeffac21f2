/** Helpers for benchmarks that run Motcua as a real server process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunningServer {
  url: string;
  proc: ChildProcess;
  startMs: number;
  stop(): Promise<void>;
}

/** Starts `node src/main.ts` with the demo data and waits for a healthy /healthz; `startMs` is the time that took. */
export async function startServer(env: Record<string, string> = {}, opts: { nodeArgs?: string[] } = {}): Promise<RunningServer> {
  const port = await freePort();
  const ownDir = env.MOTCUA_DATA_DIR === undefined;
  const dataDir = env.MOTCUA_DATA_DIR ?? (await mkdtemp(join(tmpdir(), 'motcua-bench-')));
  const url = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), 'src/main.ts'], {
    env: { ...process.env, PORT: String(port), MOTCUA_PUBLIC_URL: url, MOTCUA_DATA_DIR: dataDir, MOTCUA_DEMO: '1', LOG_LEVEL: 'warn', MOTCUA_RATE_LIMITS: 'off', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let exited = false;
  proc.on('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error('server exited during start');
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.status === 200) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const startMs = performance.now() - t0;
  return {
    url,
    proc,
    startMs,
    stop: async () => {
      await new Promise<void>((resolve) => {
        if (exited) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      });
      // The data folder this function made (not one the caller passed) goes with the server.
      if (ownDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** CPU time (user + system, ms) a process has used so far; undefined where /proc is not there. */
export function processCpuMs(pid: number): number | undefined {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) * (1000 / CLOCK_TICKS);
  } catch {
    return undefined;
  }
}

/** CPU time (ms) used so far by the live processes named `postgres` (the server's backends). */
export function postgresCpuMs(): number | undefined {
  try {
    let t = 0;
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const raw = readFileSync(`/proc/${d}/stat`, 'utf8');
        if (!raw.includes(' (postgres) ')) continue;
        const f = raw.split(') ')[1]!.split(' ');
        t += (Number(f[11]) + Number(f[12])) * (1000 / CLOCK_TICKS);
      } catch {
        /* the process ended meanwhile */
      }
    }
    return t;
  } catch {
    return undefined;
  }
}

/** The machine's CPU time so far (ms, summed over cores): busy and idle. */
export function machineCpuMs(): { busy: number; idle: number } | undefined {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (f[3]! + f[4]!) * (1000 / CLOCK_TICKS);
    const all = f.slice(0, 8).reduce((a, b) => a + b, 0) * (1000 / CLOCK_TICKS);
    return { busy: all - idle, idle };
  } catch {
    return undefined;
  }
}
/** Linux reports CPU times in clock ticks of 1/100 s. */
const CLOCK_TICKS = 100;

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
