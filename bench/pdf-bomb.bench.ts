/**
 * A "PDF bomb" against the server (issue 11): a 1 MB PDF whose object stream inflates to
 * 1 GiB, uploaded by a logged-in citizen to POST /api/v1/files, alone and three at once,
 * while /healthz is asked every 20 ms. Before the cap the server was blocked 11–18 s and
 * took 1 GB; the goal: each bomb refused within a second, /healthz at its usual speed.
 * Figures: time to refuse, the server's peak memory (RSS), /healthz latency during the
 * bombs against a quiet baseline in the same run (a ratio: this machine is shared).
 *
 *   node bench/pdf-bomb.bench.ts
 */
import { readFileSync } from 'node:fs';
import { issueSandboxToken } from '../src/modules/identity/issue-sandbox-token.ts';
import { bombPdf } from '../test/support/pdfs.ts';
import { fmt, median, startServer } from './support.ts';

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const rssMb = (pid: number): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

const t0 = performance.now();
const bomb = bombPdf(1024 * 1024 * 1024);
console.log(`bomb: ${fmt(bomb.length / 1024)} KB inflating to 1,024 MiB (built in ${fmt(performance.now() - t0)} ms)`);

const server = await startServer();
try {
  const token = (await issueSandboxToken(server.url, 'citizen1')).accessToken;
  const health = async (ms: number): Promise<number[]> => {
    const out: number[] = [];
    const until = performance.now() + ms;
    while (performance.now() < until) {
      const t = performance.now();
      await fetch(`${server.url}/healthz`).then((r) => r.arrayBuffer());
      out.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 20));
    }
    return out;
  };
  const send = async (): Promise<{ ms: number; status: number; code: string }> => {
    const form = new FormData();
    form.set('file', new Blob([new Uint8Array(bomb)], { type: 'application/pdf' }), 'bomb.pdf');
    const t = performance.now();
    const r = await fetch(`${server.url}/api/v1/files`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    const body = (await r.json()) as { error?: { code: string } };
    return { ms: performance.now() - t, status: r.status, code: body.error?.code ?? '' };
  };

  const baseline = await health(2000);
  const rssBefore = rssMb(server.proc.pid!);
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(server.proc.pid!))), 10);
  const results: { ms: number; status: number; code: string }[] = [];
  const during: number[] = [];
  for (const n of [1, 3]) {
    const [h, ...sent] = await Promise.all([health(1500), ...Array.from({ length: n }, () => send())]);
    during.push(...h!);
    results.push(...(sent as typeof results));
    console.log(`  ${n} at once: ${(sent as typeof results).map((r) => `${r.status} ${r.code} in ${fmt(r.ms)} ms`).join('; ')}`);
  }
  clearInterval(sampler);
  const slowest = Math.max(...results.map((r) => r.ms));
  console.log(`refusal: slowest ${fmt(slowest)} ms, median ${fmt(median(results.map((r) => r.ms)))} ms (goal: within 1,000 ms: ${slowest < 1000 ? 'met' : 'NOT met'})`);
  console.log(`server memory: ${fmt(rssBefore)} MB before, peak ${fmt(peak)} MB during (+${fmt(peak - rssBefore)} MB)`);
  const ratio = pct(during, 99) / pct(baseline, 99);
  console.log(`/healthz: quiet p50 ${fmt(pct(baseline, 50), 1)} ms p99 ${fmt(pct(baseline, 99), 1)} ms; during bombs p50 ${fmt(pct(during, 50), 1)} ms p99 ${fmt(pct(during, 99), 1)} ms, max ${fmt(Math.max(...during), 1)} ms (p99 ratio ${fmt(ratio, 1)}×)`);
  if (results.some((r) => r.status !== 422 || r.code !== 'pdf_too_large_inflated')) {
    console.error('a bomb was not refused as pdf_too_large_inflated');
    process.exitCode = 1;
  }
} finally {
  await server.stop();
}
