import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { handlersDone, trackInFlight } from './in-flight.ts';

test('shutdown waits for running handlers, and sync handlers still answer', async () => {
  const app = Fastify();
  trackInFlight(app);
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let finished = false;
  app.get('/slow', async () => {
    await gate;
    finished = true;
    return { ok: true };
  });
  app.get('/sync', (_req, reply) => {
    void reply.send({ sync: true });
  });
  app.get('/fails', async () => {
    throw new Error('boom');
  });
  await app.ready();
  assert.deepEqual((await app.inject('/sync')).json(), { sync: true });
  assert.equal((await app.inject('/fails')).statusCode, 500);
  assert.equal(await handlersDone(app, 10), 0, 'nothing runs');

  const slow = app.inject('/slow');
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(await handlersDone(app, 20), 1, 'one handler still runs after the timeout');
  const waiting = handlersDone(app, 5_000);
  release();
  assert.equal(await waiting, 0);
  assert.equal(finished, true);
  assert.equal((await slow).statusCode, 200);
  await app.close();
});
