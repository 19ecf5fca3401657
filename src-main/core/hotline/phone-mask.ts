/**
 * Phone numbers never leave the core unmasked: a caller's number is shown as 138****5678, and numbers
 * spoken into the call text (ASR) are masked the same way before the text is stored in a ticket.
 */

/** `13812345678` → `138****5678`; landlines keep their first three and last four digits. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (phone === null || phone === undefined) return null;
  const digits = phone.replace(/\D/g, '');
  if (digits.length === 0) return null;
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

// A mobile number (1[3-9]x xxxx xxxx, separators allowed) or a landline with an area code.
const MOBILE = /(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)/g;
const LANDLINE = /(?<!\d)(0\d{2,3})[- ]?(\d{3,4})[- ]?(\d{4})(?!\d)/g;

/** Masks every phone number inside a free text. */
export function maskPhonesInText(text: string): string {
  return text
    .replace(MOBILE, (_m, a: string, _b: string, c: string) => `${a}****${c}`)
    .replace(LANDLINE, (_m, area: string, _b: string, c: string) => `${area}-****${c}`);
}
