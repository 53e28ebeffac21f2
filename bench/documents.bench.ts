/**
 * Signed documents: result PDFs generated (pdf-lib, embedded font subsets, QR code) AND
 * signed (PAdES, RSA-2048 from a PKCS#12) per second, with the latency of each; and
 * verifications per second (both signatures of a specialist + leader result, chain to
 * the trust anchor). One thread, then one worker thread per core.
 * Goals (issue 5): >= 100 generated+signed per second, p95 <= 50 ms each; >= 200 verifications per second.
 *
 *   node bench/documents.bench.ts [--n 300]
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { renderResult, type DossierDocumentData } from '../src/modules/documents/templates.ts';
import { loadP12Signer } from '../src/modules/signing/p12.ts';
import { signPdf } from '../src/modules/signing/pades.ts';
import { initDevPki } from '../src/modules/signing/pki.ts';
import { parseTrustAnchors, verifyPdf } from '../src/modules/verification/verify.ts';
import { fmt, machineCpuMs } from './support.ts';

const form = JSON.parse(readFileSync(new URL('../src/modules/catalogue/demo/examples/1.001193.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const data = (i: number): DossierDocumentData => {
  const code = `000.00.04.H12-261123-${String(i % 10000).padStart(4, '0')}`;
  return {
    dossierCode: code,
    verifyUrl: `https://dichvucong.caobang.gov.vn/verify/${code}`,
    agency: { code: '000.00.04.H12', name: 'Ủy ban nhân dân phường Thục Phán', parentName: 'Tỉnh Cao Bằng' },
    place: 'Cao Bằng',
    issuedAt: new Date(),
    procedure: { code: '1.001193', name: 'Thủ tục đăng ký khai sinh' },
    applicant: { name: 'Nông Thị Hạnh', personalId: '004196002731' },
    signer: { name: 'Nông Văn Lâm', title: 'KT. Chủ tịch' },
    form,
  };
};

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

interface Job {
  kind: 'sign' | 'verify';
  n: number;
  p12: string;
  password: string;
  anchors: string;
  signed?: Uint8Array;
  offset: number;
}

async function runJob(j: Job): Promise<number[]> {
  const lat: number[] = [];
  if (j.kind === 'sign') {
    const signer = await loadP12Signer(j.p12, j.password);
    for (let i = 0; i < j.n; i++) {
      const t = performance.now();
      const pdf = await renderResult(data(j.offset + i));
      await signPdf(pdf, signer, { reason: 'Phê duyệt kết quả' });
      lat.push(performance.now() - t);
    }
  } else {
    const anchors = parseTrustAnchors(j.anchors);
    for (let i = 0; i < j.n; i++) {
      const t = performance.now();
      const r = verifyPdf(j.signed!, anchors);
      if (!r.valid) throw new Error(`verification failed: ${r.problems.join('; ')}`);
      lat.push(performance.now() - t);
    }
  }
  return lat;
}

if (!isMainThread) {
  // Warm up (font parse, JIT), say ready, run when told: the timing leaves out the start of the thread.
  const job = workerData as Job;
  await runJob({ ...job, n: 10 });
  parentPort!.postMessage('ready');
  parentPort!.once('message', async () => {
    const c0 = process.cpuUsage();
    const lat = await runJob(job);
    const c = process.cpuUsage(c0);
    parentPort!.postMessage({ lat, cpuMs: (c.user + c.system) / 1000 });
  });
} else {
  const argN = process.argv.indexOf('--n');
  const N = argN > 0 ? Number(process.argv[argN + 1]) : 300;
  const dir = mkdtempSync(join(tmpdir(), 'motcua-bench-pki-'));
  const pki = await initDevPki(dir, [{ commonName: 'Đàm Quang Huy', file: 'specialist.p12' }, { commonName: 'Ủy ban nhân dân phường Thục Phán', file: 'agency.p12' }], 'bench');
  const anchors = readFileSync(pki.trustAnchorsPath, 'utf8');
  const base = { p12: pki.p12[1]!.path, password: 'bench', anchors };
  const specialist = await loadP12Signer(pki.p12[0]!.path, 'bench');
  const leader = await loadP12Signer(pki.p12[1]!.path, 'bench');
  const twice = await signPdf(await signPdf(await renderResult(data(0)), specialist, { reason: 'Người xử lý' }), leader, { reason: 'Phê duyệt' });
  const cores = availableParallelism();
  console.log(`documents: ${N} result PDFs (birth extract, ~${fmt(twice.length / 1024)} KB with two signatures); ${cores} cores; Node ${process.version}`);

  const report = (label: string, lat: number[], wallMs: number, goalRate: number, goalP95?: number) => {
    const rate = (lat.length / wallMs) * 1000;
    const p95 = pct(lat, 95);
    const met = rate >= goalRate && (goalP95 === undefined || p95 <= goalP95);
    console.log(
      `  ${label.padEnd(44)} ${fmt(rate).padStart(5)}/s   p50 ${fmt(pct(lat, 50), 1).padStart(5)} ms   p95 ${fmt(p95, 1).padStart(5)} ms   p99 ${fmt(pct(lat, 99), 1).padStart(5)} ms   goal ${goalRate}/s${goalP95 !== undefined ? `, p95 <= ${goalP95} ms` : ''}: ${met ? 'met' : 'NOT met'}`,
    );
  };

  const inWorkers = async (job: Omit<Job, 'n' | 'offset'>, total: number): Promise<{ lat: number[]; wall: number; cpuMs: number }> => {
    const per = Math.ceil(total / cores);
    const workers = Array.from({ length: cores }, (_, w) => new Worker(new URL(import.meta.url), { workerData: { ...job, n: per, offset: w * per } }));
    await Promise.all(workers.map((w) => new Promise<void>((resolve, reject) => { w.once('message', () => resolve()); w.once('error', reject); })));
    const t = performance.now();
    const parts = await Promise.all(
      workers.map((w) => new Promise<{ lat: number[]; cpuMs: number }>((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
        w.postMessage('go');
      })),
    );
    const wall = performance.now() - t;
    await Promise.all(workers.map((w) => w.terminate()));
    return { lat: parts.flatMap((p) => p.lat), wall, cpuMs: parts.reduce((a, p) => a + p.cpuMs, 0) };
  };
  const cpuLine = (label: string, cpuMs: number, n: number) =>
    console.log(`  ${label.padEnd(44)} ${fmt(cpuMs / n, 2)} ms of CPU each: at most ${fmt((1000 / (cpuMs / n)) * cores)}/s on ${cores} idle cores`);

  const cpu0 = machineCpuMs();
  // Warm-up: font parse, JIT.
  await runJob({ kind: 'sign', n: 20, offset: 0, ...base });
  let c0 = process.cpuUsage();
  let t = performance.now();
  const one = await runJob({ kind: 'sign', n: N, offset: 0, ...base });
  report('generate + sign, 1 thread', one, performance.now() - t, 100, 50);
  let c = process.cpuUsage(c0);
  cpuLine('  (CPU time of the thread)', (c.user + c.system) / 1000, N);
  const w = await inWorkers({ kind: 'sign', ...base }, N * 2);
  report(`generate + sign, ${cores} worker threads`, w.lat, w.wall, 100, 50);

  await runJob({ kind: 'verify', n: 50, offset: 0, ...base, signed: twice });
  c0 = process.cpuUsage();
  t = performance.now();
  const v1 = await runJob({ kind: 'verify', n: N * 2, offset: 0, ...base, signed: twice });
  report('verify (2 signatures), 1 thread', v1, performance.now() - t, 200);
  c = process.cpuUsage(c0);
  cpuLine('  (CPU time of the thread)', (c.user + c.system) / 1000, N * 2);
  const vw = await inWorkers({ kind: 'verify', ...base, signed: twice }, N * 4);
  report(`verify (2 signatures), ${cores} worker threads`, vw.lat, vw.wall, 200);
  const cpu1 = machineCpuMs();
  if (cpu0 && cpu1) {
    const busy = cpu1.busy - cpu0.busy;
    const idle = cpu1.idle - cpu0.idle;
    console.log(`  machine busy ${fmt((100 * busy) / (busy + idle))}% during the run (other processes included: figures are lower on a shared machine)`);
  }
}
