/**
 * Behind a reverse proxy (MOTCUA_TRUST_PROXY): the client's address from X-Forwarded-For
 * is what rate limits count and what the audit log records; without the setting the
 * header is ignored (anyone could send it).
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.ts';

const apps: TestApp[] = [];
after(async () => {
  await Promise.all(apps.map((a) => a.close()));
});

const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });

test('trusted proxy: each client behind it has its own counter, and a refusal is audited with its address', async () => {
  const app = await startTestApp({ env: { MOTCUA_TRUST_PROXY: '127.0.0.1', MOTCUA_RATE_LIMIT_ADDRESS: '10' } });
  apps.push(app);
  await app.token('citizen1'); // the login runs from the proxy's own address
  for (let i = 0; i < 10; i++) assert.equal((await app.call('GET', '/healthz', from('203.0.113.5'))).status, 200);
  assert.equal((await app.call('GET', '/healthz', from('203.0.113.5'))).status, 429);
  assert.equal((await app.call('GET', '/healthz', from('203.0.113.6'))).status, 200);
  const denied = await app.call('GET', '/api/v1/admin/units', { as: 'citizen1', headers: { 'x-forwarded-for': '198.51.100.7', 'x-request-id': 'trust-proxy-denied-1' } });
  assert.equal(denied.status, 403);
  const row = await app.motcua.db.query<{ after: { address?: string } }>("SELECT after FROM audit_log WHERE action = 'access.denied' AND request_id = 'trust-proxy-denied-1'");
  assert.equal(row.rows[0]?.after.address, '198.51.100.7');
});

test('no trusted proxy: X-Forwarded-For is ignored, every request counts under the peer', async () => {
  const app = await startTestApp({ env: { MOTCUA_RATE_LIMIT_ADDRESS: '3' } });
  apps.push(app);
  for (let i = 0; i < 3; i++) assert.equal((await app.call('GET', '/healthz', from(`203.0.113.${10 + i}`))).status, 200);
  assert.equal((await app.call('GET', '/healthz', from('203.0.113.99'))).status, 429);
});
