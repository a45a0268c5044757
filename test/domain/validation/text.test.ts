/**
 * The storable-text boundary (issue #10): any string in, a string PostgreSQL stores out, idempotent.
 * "Storable" is checked here without the function's own rules: the string survives UTF-8 both ways
 * (a lone surrogate does not), its JSON has no escape jsonb refuses, and it has no NUL or control
 * character but tab, newline and carriage return.
 */
import fc from 'fast-check';
import { isStorableText, storableJson, storableText } from '../../../domain';

function storable(s: string): boolean {
  if (Buffer.from(s, 'utf8').toString('utf8') !== s) return false;
  if (/\\u(?:0000|d[89a-f][0-9a-f]{2})/i.test(JSON.stringify(s))) return false;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || (c >= 0x7f && c <= 0x9f)) return false;
  }
  return true;
}

/** Any sequence of UTF-16 code units: lone surrogates, NUL, controls, halves of pairs. */
const utf16 = fc
  .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 200 })
  .map((units) => String.fromCharCode(...units));
const anyString = fc.oneof(utf16, fc.string({ unit: 'binary', maxLength: 200 }), fc.string());

describe('storableText: the boundary every entry point uses (issue #10)', () => {
  it('any string in → a storable string out', () => {
    fc.assert(fc.property(anyString, (s) => storable(storableText(s))));
  });

  it('is idempotent, also with a length bound', () => {
    fc.assert(
      fc.property(anyString, fc.integer({ min: 0, max: 300 }), (s, max) => {
        const once = storableText(s, max);
        return storableText(once, max) === once && isStorableText(once, max);
      }),
    );
  });

  it('bounds the length without cutting a surrogate pair', () => {
    fc.assert(
      fc.property(anyString, fc.integer({ min: 0, max: 300 }), (s, max) => {
        const out = storableText(s, max);
        return out.length <= max && storable(out);
      }),
    );
    expect(storableText('ab😀', 3)).toBe('ab');
  });

  it('leaves text that is already storable as it is (Russian, emoji, RTL marks, tabs and newlines)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 100 }), (s) => {
        // eslint-disable-next-line no-control-regex
        const clean = s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, '');
        return storableText(clean) === clean;
      }),
    );
    const russian = 'Не списываются баллы\tпри оплате\r\nсертификатом 😀 \u200f\u202e';
    expect(storableText(russian)).toBe(russian);
  });

  it('replaces lone surrogates and NUL with U+FFFD, removes other control characters', () => {
    expect(storableText('a\ud800b')).toBe('a\ufffdb');
    expect(storableText('a\udc00b')).toBe('a\ufffdb');
    expect(storableText('x\u0000y')).toBe('x\ufffdy');
    expect(storableText('a\u0007b\u001bc\u0085d\u007f')).toBe('abcd');
    // The subject of issue #10, =?utf-16le?B?IgQ1BEIEMAQA3A==?=, decodes to «Тета» and a lone low surrogate.
    const subject = Buffer.from('IgQ1BEIEMAQA3A==', 'base64').toString('utf16le');
    expect(storable(subject)).toBe(false);
    expect(storableText(subject)).toBe('Тета\ufffd');
  });

  it('storableJson makes every string of a JSON value storable, keys included, and keeps the rest', () => {
    fc.assert(
      fc.property(fc.jsonValue(), anyString, (value, s) => {
        const doc = { value, [s]: [s, { s }], n: 1, b: true, z: null };
        const out = storableJson(doc);
        const json = JSON.stringify(out);
        return storable(json) && JSON.stringify(storableJson(out)) === json;
      }),
    );
    expect(storableJson({ a: ['x\u0000', 1, null, { 'k\ud800': 'v' }] })).toEqual({
      a: ['x\ufffd', 1, null, { 'k\ufffd': 'v' }],
    });
  });
});
