import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { Database } from '../../db/database.ts';
import { freshDatabase } from '../../../test/support/db.ts';
import { drainOutboxOnce, enqueue, type OutboxEvent } from './outbox.ts';
import { createWebhookSink, signWebhookBody, verifyWebhookSignature } from './webhook-sink.ts';

const SECRET = 'bí-mật-chia-sẻ';

interface Received {
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** A real receiver on 127.0.0.1, answering with `respond`. */
async function receiver(respond: (req: Received, res: ServerResponse) => void): Promise<{ url: string; got: Received[]; close(): Promise<void> }> {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks) };
      got.push(r);
      respond(r, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/motcua`,
    got,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const event: OutboxEvent = {
  id: '3f1d2c4b-0000-4000-8000-000000000001',
  seq: '7',
  topic: 'dossier.submitted',
  key: 'H12.22-260217-0001',
  payload: { code: 'H12.22-260217-0001', name: 'Nguyễn Văn A' },
  attempt: 2,
  createdAt: new Date('2026-02-17T01:00:00.000Z'),
};

test('signatures: sha256=<hex HMAC>, checked in constant time', () => {
  const body = '{"a":1}';
  const sig = signWebhookBody(SECRET, body);
  assert.equal(sig, `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`);
  assert.ok(verifyWebhookSignature(SECRET, body, sig));
  assert.ok(!verifyWebhookSignature(SECRET, '{"a":2}', sig));
  assert.ok(!verifyWebhookSignature('other', body, sig));
  assert.ok(!verifyWebhookSignature(SECRET, body, undefined));
  assert.ok(!verifyWebhookSignature(SECRET, body, 'sha256=00'));
});

test('the receiver gets the signed JSON body with the event id, topic and attempt headers', async () => {
  const rx = await receiver((_r, res) => res.writeHead(204).end());
  try {
    await createWebhookSink({ url: rx.url, secret: SECRET, timeoutMs: 2000 }).deliver(event);
    assert.equal(rx.got.length, 1);
    const r = rx.got[0];
    assert.ok(r);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers['x-motcua-event-id'], event.id);
    assert.equal(r.headers['x-motcua-topic'], 'dossier.submitted');
    assert.equal(r.headers['x-motcua-delivery-attempt'], '2');
    const expected = `sha256=${createHmac('sha256', SECRET).update(r.body).digest('hex')}`;
    assert.equal(r.headers['x-motcua-signature'], expected);
    assert.ok(verifyWebhookSignature(SECRET, r.body, r.headers['x-motcua-signature'] as string));
    assert.deepEqual(JSON.parse(r.body.toString('utf8')), {
      id: event.id,
      seq: '7',
      topic: 'dossier.submitted',
      key: 'H12.22-260217-0001',
      createdAt: '2026-02-17T01:00:00.000Z',
      payload: { code: 'H12.22-260217-0001', name: 'Nguyễn Văn A' },
    });
  } finally {
    await rx.close();
  }
});

test('non-2xx answers, redirects, timeouts and refused connections are failures', async () => {
  const rx = await receiver((r, res) => {
    const mode = JSON.parse(r.body.toString('utf8')).payload.mode as string;
    if (mode === '500') res.writeHead(500).end('database unavailable');
    else if (mode === '302') res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end();
    else if (mode === 'slow') setTimeout(() => res.writeHead(200).end(), 2000);
    else res.writeHead(200).end('ok');
  });
  try {
    const sink = createWebhookSink({ url: rx.url, secret: SECRET, timeoutMs: 200 });
    const withMode = (mode: string): OutboxEvent => ({ ...event, payload: { mode } });
    await sink.deliver(withMode('ok'));
    await assert.rejects(sink.deliver(withMode('500')), /HTTP 500: database unavailable/);
    await assert.rejects(sink.deliver(withMode('302')), /HTTP 302/);
    const t0 = Date.now();
    await assert.rejects(sink.deliver(withMode('slow')), /no answer within 200 ms/);
    assert.ok(Date.now() - t0 < 1500);
  } finally {
    await rx.close();
  }
  const closed = createWebhookSink({ url: rx.url, secret: SECRET, timeoutMs: 500 });
  await assert.rejects(closed.deliver(event), /request failed/);
  assert.throws(() => createWebhookSink({ url: 'ftp://x', secret: SECRET }), TypeError);
  assert.throws(() => createWebhookSink({ url: 'http://x', secret: '' }), TypeError);
});

test('end to end: an enqueued event reaches a real receiver through the outbox, retried after a 503', async () => {
  let db: Database | undefined;
  let answer = 503;
  const rx = await receiver((_r, res) => res.writeHead(answer).end());
  try {
    db = await freshDatabase();
    const [id] = await db.transaction((tx) => enqueue(tx, [{ topic: 'dossier.submitted', key: 'D-9', payload: { code: 'D-9' } }]));
    const sinks = [createWebhookSink({ url: rx.url, secret: SECRET, timeoutMs: 2000 })];
    const now = new Date('2030-01-01T00:00:00Z');
    const opts = { backoff: { baseMs: 1000, maxMs: 1000, jitter: 0 } };
    assert.equal((await drainOutboxOnce(db, sinks, now, opts)).retrying, 1);
    answer = 200;
    assert.equal((await drainOutboxOnce(db, sinks, new Date(now.getTime() + 1000), opts)).delivered, 1);
    assert.equal(rx.got.length, 2);
    for (const r of rx.got) {
      assert.equal(r.headers['x-motcua-event-id'], id);
      assert.ok(verifyWebhookSignature(SECRET, r.body, r.headers['x-motcua-signature'] as string));
    }
    assert.deepEqual(rx.got.map((r) => r.headers['x-motcua-delivery-attempt']), ['1', '2']);
    const row = await db.query<{ status: string; last_error: string }>('SELECT status, last_error FROM outbox');
    assert.equal(row.rows[0]?.status, 'delivered');
    assert.match(row.rows[0]?.last_error ?? '', /HTTP 503/); // the last failure stays for the record
  } finally {
    await rx.close();
    await db?.close();
  }
});
