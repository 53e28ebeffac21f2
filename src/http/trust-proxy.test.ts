import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTrustProxy } from './trust-proxy.ts';

test('MOTCUA_TRUST_PROXY: off by default, a hop count, addresses and ranges; never everyone', () => {
  for (const off of [undefined, '', 'off', 'false', '0']) assert.deepEqual(parseTrustProxy(off), { value: false }, String(off));
  assert.deepEqual(parseTrustProxy('1'), { value: 1 });
  assert.deepEqual(parseTrustProxy(' 10.0.0.5 , 10.1.0.0/16,::1,fd00::/8, loopback'), { value: '10.0.0.5,10.1.0.0/16,::1,fd00::/8,loopback' });
  for (const bad of ['true', 'on', '*', '10.0.0.300', '10.0.0.0/33', 'proxy.example.vn', '10.0.0.1/8/2', ',']) {
    const r = parseTrustProxy(bad);
    assert.equal(r.value, false, bad);
    assert.match(r.problem ?? '', /MOTCUA_TRUST_PROXY/, bad);
  }
});
