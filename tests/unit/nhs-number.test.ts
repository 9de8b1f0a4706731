import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatNhsNumber, isValidNhsNumber, normaliseNhsNumber } from '../../domain';

// Modulus 11 written out independently of the code under test [A DD NHS NUMBER].
function checkDigit(nineDigits: string): number {
  const sum = [...nineDigits].reduce((total, digit, i) => total + Number(digit) * (10 - i), 0);
  return 11 - (sum % 11);
}

const nineDigits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 9, maxLength: 9 });
const validNhsNumber = nineDigits
  .filter((digits) => checkDigit(digits) !== 10 && !/^(\d)\1{8}$/.test(digits))
  .map((digits) => digits + (checkDigit(digits) % 11));

describe('NHS number (Modulus 11, DD NHS NUMBER)', () => {
  it.each([
    ['943 476 5919', true, 'the rules doc test vector [A DD]: sum 299, 299 mod 11 = 2, 11 − 2 = 9'],
    ['9434765919', true, 'the same number as keyed'],
    ['9434765918', false, 'wrong check digit'],
    ['4010232137', true, 'a valid number'],
    ['485 777 3457', true, 'a valid number, spaced 3-3-4'],
    ['9434765080', true, 'remainder 0: check 11 means 0'],
    ['9434765081', false, 'remainder 0 with a check digit other than 0'],
    ['1234567890', false, 'check 10 is never issued'],
    ['0000000000', false, 'passes Modulus 11 (check 11 → 0) but one repeated digit is never issued'],
    ['1111111111', false, 'passes Modulus 11 but one repeated digit is never issued'],
  ])('%s is %s (%s)', (value, expected) => {
    expect(isValidNhsNumber(value)).toBe(expected);
  });

  it('a number whose check value would be 10 is invalid whatever its last digit [A DD]', () => {
    for (let last = 0; last <= 9; last += 1) expect(isValidNhsNumber(`943476503${last}`)).toBe(false);
  });

  it.each([
    ['943 4765919', 'spaced 3-7'],
    ['943  476 5919', 'double space'],
    ['943-476-5919', 'hyphens'],
    [' 9434765919', 'leading space'],
    ['9434765919 ', 'trailing space'],
    ['9434765919\n', 'trailing newline'],
    ['943476591', 'nine digits'],
    ['94347659190', 'eleven digits'],
    ['943476591A', 'a letter'],
    ['９４３４７６５９１９', 'full-width digits'],
    ['', 'empty'],
  ])('%j is not a well-formed NHS number (%s)', (value) => {
    expect(isValidNhsNumber(value)).toBe(false);
  });

  it.each([[9434765919], [null], [undefined], [{}], [['9434765919']], [Symbol('x')]])(
    'non-string input %s is false, never an exception',
    (value) => {
      expect(isValidNhsNumber(value as unknown as string)).toBe(false);
    },
  );

  it('never throws, whatever it is given', () => {
    fc.assert(fc.property(fc.anything(), (value) => typeof isValidNhsNumber(value as string) === 'boolean'));
  });

  it('accepts every number whose last digit is its Modulus 11 check digit, keyed or spaced', () => {
    fc.assert(
      fc.property(validNhsNumber, (number) => {
        expect(isValidNhsNumber(number)).toBe(true);
        expect(isValidNhsNumber(`${number.slice(0, 3)} ${number.slice(3, 6)} ${number.slice(6)}`)).toBe(true);
      }),
    );
  });

  it('catches any single mistyped digit', () => {
    fc.assert(
      fc.property(validNhsNumber, fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 }), (number, at, shift) => {
        const typo = number.slice(0, at) + ((Number(number[at]) + shift) % 10) + number.slice(at + 1);
        expect(isValidNhsNumber(typo)).toBe(false);
      }),
    );
  });

  it('catches two neighbouring digits keyed the wrong way round', () => {
    fc.assert(
      fc.property(validNhsNumber, fc.integer({ min: 0, max: 8 }), (number, at) => {
        fc.pre(number[at] !== number[at + 1]);
        const swapped = number.slice(0, at) + number[at + 1] + number[at] + number.slice(at + 2);
        expect(isValidNhsNumber(swapped)).toBe(false);
      }),
    );
  });

  it('stores the 10-digit form and shows the 3-3-4 form, or null when invalid', () => {
    expect(normaliseNhsNumber('943 476 5919')).toBe('9434765919');
    expect(normaliseNhsNumber('9434765919')).toBe('9434765919');
    expect(normaliseNhsNumber('943 476 5918')).toBeNull();
    expect(formatNhsNumber('9434765919')).toBe('943 476 5919');
    expect(formatNhsNumber('1234567890')).toBeNull();
  });
});
