import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseStaffCsv } from './staff-csv.ts';

const HEAD = 'sub,name,email,unit_code,roles';

describe('staff CSV', () => {
  it('reads lines, several roles, a BOM, CRLF, quoted names, blank lines; line numbers are the file\'s', () => {
    const r = parseStaffCsv(`\uFEFF${HEAD}\r\n\r\nu-1,"Nguyễn Văn A, Jr",a@x.vn,000.00.04.H12,reception; specialist\r\nu-2,Trần B,,000.00.05.H12,leader\r\n`);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.lines.map((l) => [l.line, l.sub, l.name, l.roles]), [
      [3, 'u-1', 'Nguyễn Văn A, Jr', ['reception', 'specialist']],
      [4, 'u-2', 'Trần B', ['leader']],
    ]);
  });
  const table: [string, string, string][] = [
    ['u-1,,,000.00.04.H12,reception', 'name', 'required'],
    [',A,,000.00.04.H12,reception', 'sub', 'required'],
    ['u 1,A,,000.00.04.H12,reception', 'sub', 'pattern'],
    ['u-1,A,nope,000.00.04.H12,reception', 'email', 'format'],
    ['u-1,A,,04.H12,reception', 'unit_code', 'pattern'],
    ['u-1,A,,000.00.04.H12,', 'roles', 'required'],
    ['u-1,A,,000.00.04.H12,admin', 'roles', 'enum'],
  ];
  for (const [line, field, code] of table) {
    it(`${field} ${code}: ${line}`, () => {
      const r = parseStaffCsv(`${HEAD}\n${line}\n`);
      assert.equal(r.lines.length, 0);
      assert.deepEqual(r.problems.map((p) => [p.line, p.field, p.code]), [[2, field, code]]);
      assert.ok(r.problems[0]!.message.vi && r.problems[0]!.message.en);
    });
  }
  it('a missing column, an empty file, a broken quote, a person twice with another name or for the same unit', () => {
    assert.equal(parseStaffCsv('sub,name,email\nu,A,\n').problems[0]!.code, 'missing_column');
    assert.equal(parseStaffCsv(HEAD).problems[0]!.code, 'empty');
    assert.equal(parseStaffCsv(`${HEAD}\nu,"A,,000.00.04.H12,leader\n`).problems[0]!.code, 'malformed_csv');
    const twice = parseStaffCsv(`${HEAD}\nu,A,,000.00.04.H12,leader\nu,B,,000.00.05.H12,leader\nu,A,,000.00.04.H12,reception\n`);
    assert.deepEqual(twice.problems.map((p) => [p.line, p.code]), [[3, 'inconsistent'], [4, 'duplicate']]);
  });
  it('never throws, and every line is either read or has a problem naming it', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.oneof(fc.string(), fc.constantFrom('u-1', 'A', '000.00.04.H12', 'leader', 'x@y.vn', '"', ',')), { maxLength: 6 }).map((c) => c.join(',')), { maxLength: 8 }), (rows) => {
        const r = parseStaffCsv([HEAD, ...rows].join('\n'));
        for (const l of r.lines) assert.ok(!r.problems.some((p) => p.line === l.line));
        for (const p of r.problems) assert.ok(p.line >= 1 && p.message.vi && p.message.en);
      }),
    );
  });
});
