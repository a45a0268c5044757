import fc from 'fast-check';
import {
  formatSnils,
  normalizeEmail,
  normalizeInn,
  normalizePhone,
  normalizeSnils,
} from '../../../domain/validation';

describe('СНИЛС (seed 003 п. 3.2.4.2, 3.3.2.1)', () => {
  it('accepts a number whose check digits match, written with or without separators', () => {
    expect(normalizeSnils('112-233-445 95')).toBe('11223344595');
    expect(normalizeSnils('11223344595')).toBe('11223344595');
    expect(formatSnils('11223344595')).toBe('112-233-445 95');
  });

  it('rejects a wrong checksum, a wrong length and letters', () => {
    expect(normalizeSnils('112-233-445 96')).toBeNull();
    expect(normalizeSnils('1122334459')).toBeNull();
    expect(normalizeSnils('112-233-44a 95')).toBeNull();
  });

  it('sums of 100 and 101 give check number 00', () => {
    // 9*0+8*0+7*0+6*0+5*0+4*0+3*0+2*0+1*... : find digits with weighted sum 100: 9*9+8*2+1*3 = 100.
    expect(normalizeSnils('920000003 00'.replace(' ', ''))).toBe('92000000300');
  });

  it('numbers up to 001-001-998 predate the checksum and are accepted as issued', () => {
    expect(normalizeSnils('001-001-998 12')).toBe('00100199812');
  });

  it('any nine digits with their computed checksum pass', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_002_000, max: 999_999_999 }), (n) => {
        const body = String(n).padStart(9, '0');
        let sum = 0;
        for (let i = 0; i < 9; i++) sum += Number(body[i]) * (9 - i);
        const check = sum % 101 === 100 ? 0 : sum % 101;
        return (
          normalizeSnils(body + String(check).padStart(2, '0')) === body + String(check).padStart(2, '0')
        );
      }),
    );
  });
});

describe('ИНН', () => {
  it('10 digits (organisation), e.g. ООО «Цифровое Приморье» from seed 000', () => {
    expect(normalizeInn('2536321426')).toBe('2536321426');
    expect(normalizeInn('7707083893')).toBe('7707083893');
    expect(normalizeInn('2536321427')).toBeNull();
  });

  it('12 digits (individual) with both check digits', () => {
    expect(normalizeInn('500100732259')).toBe('500100732259');
    expect(normalizeInn('500100732258')).toBeNull();
    expect(normalizeInn('12345')).toBeNull();
  });
});

describe('e-mail (seed 000 п. 2.3.1.1)', () => {
  it('accepts the regulation’s own examples, including a Cyrillic local part', () => {
    expect(normalizeEmail('Email@gmail.ru')).toBe('Email@gmail.ru');
    expect(normalizeEmail('ИвановИИ@mail.ru')).toBe('ИвановИИ@mail.ru');
    expect(normalizeEmail(' help@DPRIM.ru ')).toBe('help@dprim.ru');
    expect(normalizeEmail('user@пример.рф')).toBe('user@пример.рф');
  });

  it('rejects what cannot be an address', () => {
    for (const bad of ['', 'bad@', '@x.ru', 'a b@c.ru', 'a@b', 'a@b.c', '<a@b.ru>', 'a@@b.ru'])
      expect(normalizeEmail(bad)).toBeNull();
  });
});

describe('phone normalisation', () => {
  it('writes Russian numbers as +7 and ten digits, whatever the separators', () => {
    expect(normalizePhone('8 (800) 250-88-70')).toBe('+78002508870'); // seed 000 п. 2.2
    expect(normalizePhone('+7-423-239-33-38')).toBe('+74232393338');
    expect(normalizePhone('8 900 123 00 00')).toBe('+79001230000');
    expect(normalizePhone('8 913 1313131')).toBe('+79131313131');
    expect(normalizePhone('9001230000')).toBe('+79001230000');
  });

  it('keeps international numbers with +, rejects the rest', () => {
    expect(normalizePhone('+44 20 7946 0958')).toBe('+442079460958');
    expect(normalizePhone('123')).toBeNull();
    expect(normalizePhone('+7 900 123')).toBeNull();
    expect(normalizePhone('звоните')).toBeNull();
  });
});
