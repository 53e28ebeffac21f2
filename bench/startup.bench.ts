/**
 * From the start command to a healthy /healthz on PGlite: a first start on an empty
 * data folder (creates the database, migrates, loads the demo) and a restart.
 * Run: node_modules/.bin/node bench/startup.bench.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, startServer } from './support.ts';

const dir = await mkdtemp(join(tmpdir(), 'motcua-startup-'));
try {
  const first = await startServer({ MOTCUA_DATA_DIR: dir });
  await first.stop();
  const second = await startServer({ MOTCUA_DATA_DIR: dir });
  await second.stop();
  console.log(`startup to healthy /healthz on PGlite: first start (empty data folder) ${fmt(first.startMs)} ms, restart ${fmt(second.startMs)} ms (goal: at most 3000 ms)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
