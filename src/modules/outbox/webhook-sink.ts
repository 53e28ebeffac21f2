/**
 * Delivers outbox events to an HTTP endpoint as signed JSON.
 *
 * POST <url>
 *   Content-Type: application/json
 *   X-Motcua-Event-Id: <event id, stable across retries: de-duplicate by it>
 *   X-Motcua-Topic: <topic>
 *   X-Motcua-Delivery-Attempt: <1, 2, ...>
 *   X-Motcua-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes with the shared secret>
 *   body: {"id","seq","topic","key","createdAt","payload"}
 *
 * Any 2xx accepts the event; anything else (redirects included, which are not followed),
 * a network error or no answer within `timeoutMs` is a failure and the event is retried.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { OutboxEvent, OutboxSink } from './outbox.ts';

export const SIGNATURE_HEADER = 'X-Motcua-Signature';
export const EVENT_ID_HEADER = 'X-Motcua-Event-Id';

export function signWebhookBody(secret: string, body: string | Uint8Array): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** For receivers (and tests): checks a signature header in constant time. */
export function verifyWebhookSignature(secret: string, body: string | Uint8Array, header: string | null | undefined): boolean {
  if (typeof header !== 'string') return false;
  const expected = Buffer.from(signWebhookBody(secret, body));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface WebhookSinkOptions {
  url: string;
  secret: string;
  /** Per delivery, response body included (default 10 s). */
  timeoutMs?: number;
  /** Topics sent (exact, `prefix.*` or `*`); default all. */
  topics?: readonly string[];
  name?: string;
}

export function createWebhookSink(opts: WebhookSinkOptions): OutboxSink {
  const url = new URL(opts.url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`webhook url must be http(s): ${opts.url}`);
  if (!opts.secret) throw new TypeError('webhook secret must not be empty');
  const timeoutMs = opts.timeoutMs ?? 10_000;
  return {
    name: opts.name ?? `webhook ${url.origin}`,
    ...(opts.topics !== undefined ? { topics: opts.topics } : {}),
    async deliver(event: OutboxEvent): Promise<void> {
      const body = JSON.stringify({
        id: event.id,
        seq: event.seq,
        topic: event.topic,
        key: event.key,
        createdAt: event.createdAt.toISOString(),
        payload: event.payload,
      });
      const signal = AbortSignal.timeout(timeoutMs);
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'motcua-outbox',
            [EVENT_ID_HEADER]: event.id,
            'X-Motcua-Topic': event.topic,
            'X-Motcua-Delivery-Attempt': String(event.attempt),
            [SIGNATURE_HEADER]: signWebhookBody(opts.secret, body),
          },
          body,
          redirect: 'manual',
          signal,
        });
      } catch (err) {
        throw new Error(signal.aborted ? `no answer within ${timeoutMs} ms` : `request failed: ${describe(err)}`, { cause: err });
      }
      if (res.status >= 200 && res.status < 300) {
        await res.body?.cancel().catch(() => {});
        return;
      }
      let text = '';
      try {
        text = (await res.text()).slice(0, 300);
      } catch {
        // the body is only for the error message
      }
      throw new Error(`HTTP ${res.status}${text ? `: ${text}` : ''}`);
    },
  };
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = err.cause instanceof Error ? ` (${err.cause.message})` : '';
    return `${err.message}${cause}`;
  }
  return String(err);
}
