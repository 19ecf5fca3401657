import type { Outcome } from '@shared/contract';

/** What stops an outcome from being recorded: no choice made, or no note (the core requires one). */
export function validateOutcome(
  outcome: Outcome | null,
  note: string,
): { outcome?: 'required'; note?: 'required' | 'tooLong' } {
  const out: { outcome?: 'required'; note?: 'required' | 'tooLong' } = {};
  if (!outcome) out.outcome = 'required';
  const trimmed = note.trim();
  if (!trimmed) out.note = 'required';
  else if (trimmed.length > 4000) out.note = 'tooLong';
  return out;
}
