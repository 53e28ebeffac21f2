import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { escapeHtml, html, raw, SafeHtml } from './html.ts';
import { errorSummary, withLang, loginHref } from './layout.ts';

test('interpolated values are escaped; SafeHtml and arrays of it are kept', () => {
  const name = '<script>alert("x")</script> & \'y\'';
  assert.equal(html`<p title="${name}">${name}</p>`.value, '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;</p>');
  assert.equal(html`<ul>${['<a>', html`<li>b</li>`]}</ul>`.value, '<ul>&lt;a&gt;<li>b</li></ul>');
  assert.equal(html`${raw('<b>')}${undefined}${null}${false}${0}`.value, '<b>0');
  assert.ok(html`` instanceof SafeHtml);
});

test('property: escaped text never contains markup characters and reads back the same', () => {
  fc.assert(
    fc.property(fc.string(), (s) => {
      const out = html`${s}`.value;
      assert.ok(!/[<>"']/.test(out));
      const back = out.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
      assert.equal(back, s);
      assert.equal(out, escapeHtml(s));
    }),
  );
});

test('error summary: one link per error to its field, in the language asked', () => {
  const errors = [{ field: 'child.fullName', href: '#child-fullName', message: { vi: 'Nhập họ tên', en: 'Enter the full name' } }];
  const vi = errorSummary('vi', errors).value;
  assert.match(vi, /role="alert"/);
  assert.match(vi, /<a href="#child-fullName">Nhập họ tên<\/a>/);
  assert.match(errorSummary('en', errors).value, /There is a problem[\s\S]*Enter the full name/);
  assert.equal(errorSummary('vi', []).value, '');
});

test('language links keep the rest of the query; login returns to local paths only', () => {
  assert.equal(withLang('/thu-tuc?q=khai+sinh&field=H%E1%BB%99+t%E1%BB%8Bch', 'en'), '/thu-tuc?q=khai+sinh&field=H%E1%BB%99+t%E1%BB%8Bch&lang=en');
  assert.equal(withLang('/?lang=en', 'vi'), '/?lang=vi');
  assert.equal(loginHref('/thu-tuc/1.001193'), '/auth/login?returnTo=%2Fthu-tuc%2F1.001193');
  assert.equal(loginHref('//evil.example/x'), '/auth/login?returnTo=%2F');
});
