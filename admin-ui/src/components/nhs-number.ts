import { formatNhsNumber as formatValidNhsNumber, isValidNhsNumber } from '../../../domain/nhs-number';

export { isValidNhsNumber };

/** 943 476 5919. A number that does not pass Modulus 11 is still shown, as keyed, so nothing is hidden. */
export function displayNhsNumber(value: string | null | undefined): string {
  if (!value) return '';
  const digits = value.replace(/\s+/g, '');
  if (/^\d{10}$/.test(digits)) {
    return formatValidNhsNumber(digits) ?? `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
  }
  return value;
}
