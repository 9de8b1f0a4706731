// NHS number: 10 digits, the last a Modulus 11 check digit [A DD NHS NUMBER].

const weights = [10, 9, 8, 7, 6, 5, 4, 3, 2];
// As keyed (9434765919) or as printed on letters (943 476 5919); nothing else.
const writtenForms = /^(?:\d{10}|\d{3} \d{3} \d{4})$/;

/**
 * Modulus 11 exactly as the Data Dictionary defines it: weights 10…2 on digits 1–9,
 * check = 11 − (sum mod 11); 11 means 0 and 10 means the number was never issued. Numbers of one
 * repeated digit are never issued either.
 * Never throws: anything that is not a well-formed valid number is false.
 */
export function isValidNhsNumber(value: string): boolean {
  if (typeof value !== 'string' || !writtenForms.test(value)) return false;
  const digits = value.replace(/ /g, '');
  // Ten of one digit pass Modulus 11 (0000000000, 1111111111) but are never issued.
  if (/^(\d)\1{9}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += Number(digits[i]) * weights[i];
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

/** The 10-digit form we store ('9434765919'), or null if the number is not valid. */
export function normaliseNhsNumber(value: string): string | null {
  return isValidNhsNumber(value) ? value.replace(/ /g, '') : null;
}

/** The 3-3-4 form patients see on letters ('943 476 5919'), or null if the number is not valid. */
export function formatNhsNumber(value: string): string | null {
  const digits = normaliseNhsNumber(value);
  return digits && `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}
