/**
 * The portal's budgets (issue 6), page by page, in Debian's Chromium on an emulated slow
 * link: 400 kbit/s down and up, 400 ms round trip, the CPU slowed 4 times; a cold cache
 * (first load). For each page in src/web/citizen/pages.ts (BUDGET_PAGES): bytes transferred
 * (compressed, headers included, every resource), requests, and the largest contentful
 * paint. Budgets: at most 60 KB, at most 10 requests, LCP at most 2.5 s.
 * Run: node_modules/.bin/node bench/portal-budgets.bench.ts [--js off] [--rounds 3] [--catalogue <file.jsonl>]
 * (the median of the rounds is reported; JavaScript on by default, the heavier case;
 * --catalogue imports a national catalogue export first, e.g. ../shared/data/procedures/procedures.jsonl,
 * to see the pages with 1,856 procedures, their fields and agencies).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { BUDGET_PAGES, type BudgetPage } from '../src/web/citizen/pages.ts';
import { issueSandboxToken } from '../src/modules/identity/issue-sandbox-token.ts';
import { answerProvider, CHROMIUM, CHROMIUM_ARGS, PHONE } from '../test/browser/support.ts';
import { fmt, median, startServer } from './support.ts';

const { values } = parseArgs({ options: { js: { type: 'string', default: 'on' }, rounds: { type: 'string', default: '3' }, catalogue: { type: 'string' } } });
const js = values.js !== 'off';
const rounds = Math.max(1, Number(values.rounds));

export const BUDGET = { bytes: 60 * 1024, requests: 10, lcpMs: 2500 };
export const SLOW_3G = { offline: false, latency: 400, downloadThroughput: (400 * 1000) / 8, uploadThroughput: (400 * 1000) / 8 };
export const CPU_SLOWDOWN = 4;

interface Measure {
  bytes: number;
  requests: number;
  lcpMs: number;
  loadMs: number;
  status: number;
}

/** One cold load of `url` in `page` under the throttling; figures from the DevTools protocol. */
async function measure(page: Page, url: string): Promise<Measure> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.clearBrowserCache');
  await cdp.send('Network.emulateNetworkConditions', SLOW_3G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  const sizes = new Map<string, number>();
  let requests = 0;
  cdp.on('Network.requestWillBeSent', (e: { requestId: string; request: { url: string } }) => {
    if (!e.request.url.startsWith('data:')) requests++;
  });
  cdp.on('Network.loadingFinished', (e: { requestId: string; encodedDataLength: number }) => sizes.set(e.requestId, e.encodedDataLength));
  const t0 = performance.now();
  const res = await page.goto(url, { waitUntil: 'load' });
  const loadMs = performance.now() - t0;
  await page.waitForTimeout(300); // late requests (the deferred script's) and the final LCP entry
  // LCP from the page's own PerformanceObserver: only with JavaScript on (a script reads it).
  const lcpMs = !js ? Number.NaN : await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        let last = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) last = Math.max(last, e.startTime);
        }).observe({ type: 'largest-contentful-paint', buffered: true });
        setTimeout(() => resolve(last), 100);
      }),
  );
  await cdp.detach();
  return { bytes: [...sizes.values()].reduce((a, b) => a + b, 0), requests, lcpMs, loadMs, status: res?.status() ?? 0 };
}

let dataDir: string | undefined;
if (values.catalogue !== undefined) {
  dataDir = await mkdtemp(join(tmpdir(), 'motcua-budgets-'));
  execFileSync(process.execPath, ['bin/motcua.js', 'catalogue', 'import', values.catalogue], { env: { ...process.env, MOTCUA_DEMO: '1', MOTCUA_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'inherit'] });
}
const server = await startServer(dataDir !== undefined ? { MOTCUA_DATA_DIR: dataDir } : {});
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
const tokens = new Map<string, Promise<string>>();
const token = (account: string): Promise<string> => {
  if (!tokens.has(account)) tokens.set(account, issueSandboxToken(server.url, account).then((t) => t.accessToken));
  return tokens.get(account)!;
};

console.log(`Portal budgets: ${BUDGET_PAGES.length} pages, Chromium, ${PHONE.width}×${PHONE.height}, JavaScript ${js ? 'on' : 'off'}, ` +
  `${values.catalogue !== undefined ? `catalogue ${values.catalogue}, ` : ''}${SLOW_3G.downloadThroughput * 8 / 1000} kbit/s, ${SLOW_3G.latency} ms RTT, CPU ÷${CPU_SLOWDOWN}, cold cache, median of ${rounds}`);
console.log(`Budgets: ≤ ${BUDGET.bytes / 1024} KB transferred, ≤ ${BUDGET.requests} requests, LCP ≤ ${BUDGET.lcpMs} ms\n`);
const rows: string[][] = [['page', 'path', 'status', 'KB', 'requests', 'LCP ms', 'load ms', 'budgets']];
let over = 0;
try {
  for (const p of BUDGET_PAGES as BudgetPage[]) {
    const path = p.prepare ? await p.prepare({ url: server.url, token }) : p.path;
    // The server warmed up (the first search after a start builds the index): "first load" is the browser's cache, cold.
    await (await fetch(`${server.url}${path}`)).arrayBuffer();
    const ms: Measure[] = [];
    for (let r = 0; r < rounds; r++) {
      // A fresh context (no cookies, cold cache); a login first when the page needs one.
      const context = await browser.newContext({ javaScriptEnabled: js, viewport: PHONE, locale: 'vi-VN' });
      try {
        const page = await context.newPage();
        if (p.as !== undefined) {
          await page.goto(`${server.url}/auth/login?returnTo=${encodeURIComponent('/')}`);
          await answerProvider(page, p.as);
        }
        ms.push(await measure(page, `${server.url}${path}`));
      } finally {
        await context.close();
      }
    }
    const m = { bytes: median(ms.map((x) => x.bytes)), requests: median(ms.map((x) => x.requests)), lcpMs: median(ms.map((x) => x.lcpMs)), loadMs: median(ms.map((x) => x.loadMs)), status: ms[0]!.status };
    const fails = [
      m.bytes > BUDGET.bytes ? 'bytes' : '',
      m.requests > BUDGET.requests ? 'requests' : '',
      js && !(m.lcpMs <= BUDGET.lcpMs) ? 'LCP' : '',
    ].filter(Boolean);
    if (fails.length > 0) over++;
    rows.push([p.name, path.length > 38 ? `${path.slice(0, 37)}…` : path, String(m.status), fmt(m.bytes / 1024, 1), String(m.requests), Number.isNaN(m.lcpMs) ? '–' : fmt(m.lcpMs), fmt(m.loadMs), fails.length === 0 ? 'met' : `NOT met: ${fails.join(', ')}`]);
  }
} finally {
  await browser.close();
  await server.stop();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(r.map((c, i) => (i >= 2 && i <= 6 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  '));
console.log(`\n${over === 0 ? 'All budgets met' : `${over} page(s) over budget`}.`);
