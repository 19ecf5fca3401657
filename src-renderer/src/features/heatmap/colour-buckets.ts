import {
  CI_COUNT,
  CI_NO_DATA,
  CI_OFFLINE,
  CI_SCORE,
  CI_SEQ,
  NO_DATA_COLOR,
  OFFLINE_COLOR,
  scoreColor,
  seqColor,
} from './health-scale';

/**
 * The chart draws one large-mode scatter series per colour bucket (one canvas path each) instead
 * of one element per cell: rebuilding 10,000 cell elements every second cost 30–190 ms a tick.
 * Buckets are steps of 5 on the score scale that never straddle a band edge (40/41, 79/80), ten
 * steps on the sequential scale, plus offline and no data — visually the same ramp as PALETTE.
 */
const scoreBucket = (s: number): number =>
  s <= 40 ? Math.floor(s / 5) : s < 80 ? 9 + Math.floor((s - 41) / 5) : 17 + Math.floor((s - 80) / 5);
const SCORE_BUCKETS = scoreBucket(100) + 1; // 0…21
const SEQ_BUCKETS = 11;

export const B_NO_DATA = 0;
export const B_OFFLINE = 1;
const B_SCORE = 2;
const B_SEQ = B_SCORE + SCORE_BUCKETS;
export const BUCKET_COUNT = B_SEQ + SEQ_BUCKETS;

/** Bucket of each colour index (CI_*). */
export const BUCKET_OF: Uint8Array = (() => {
  const out = new Uint8Array(CI_COUNT);
  for (let ci = 0; ci < CI_COUNT; ci++) {
    if (ci === CI_NO_DATA) out[ci] = B_NO_DATA;
    else if (ci === CI_OFFLINE) out[ci] = B_OFFLINE;
    else if (ci < CI_SEQ) out[ci] = B_SCORE + scoreBucket(ci - CI_SCORE);
    else out[ci] = B_SEQ + Math.min(SEQ_BUCKETS - 1, Math.floor((ci - CI_SEQ) / 10));
  }
  return out;
})();

/** The colour of each bucket: that of the middle of its range. */
export const BUCKET_COLOR: readonly string[] = (() => {
  const colours: string[] = new Array(BUCKET_COUNT);
  colours[B_NO_DATA] = NO_DATA_COLOR;
  colours[B_OFFLINE] = OFFLINE_COLOR;
  for (let b = 0; b < SCORE_BUCKETS; b++) {
    const scores = Array.from({ length: 101 }, (_, s) => s).filter((s) => scoreBucket(s) === b);
    colours[B_SCORE + b] = scoreColor((scores[0]! + scores[scores.length - 1]!) / 2);
  }
  for (let b = 0; b < SEQ_BUCKETS; b++) colours[B_SEQ + b] = seqColor(Math.min(1, (b * 10 + 5) / 100));
  return colours;
})();
