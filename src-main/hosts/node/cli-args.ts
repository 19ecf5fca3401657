import { InvalidArgumentError } from 'commander';

/**
 * Commander argument parsers shared by the CLI's commands, so one flag kind is checked the same way
 * everywhere: a bad value stops the command with a message that names the accepted range.
 */

/** An integer in [min, max]; an empty value is an error, not 0. */
export function integer(min: number, max: number) {
  return (raw: string): number => {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`);
    return n;
  };
}

/** A finite number in [min, max]. */
export function decimal(min: number, max: number) {
  return (raw: string): number => {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max)
      throw new InvalidArgumentError(`must be a number from ${min} to ${max}`);
    return n;
  };
}

/** A finite number above 0 and at most max (in unit). */
export function positive(max: number, unit: string) {
  return (raw: string): number => {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || n <= 0 || n > max)
      throw new InvalidArgumentError(`must be a number above 0 and at most ${max} ${unit}`);
    return n;
  };
}

/** An ISO-8601 time (date first) as epoch ms; `example` is shown in the error. */
export function isoTimeMs(raw: string, example: string): number {
  const t = Date.parse(raw);
  if (!/^\d{4}-\d\d-\d\d/.test(raw) || Number.isNaN(t))
    throw new InvalidArgumentError(`must be an ISO-8601 time such as ${example}`);
  return t;
}
