import type { FailureModeDef } from '@shared/contract';

/**
 * Resolved tickets of devices, kept in memory for root-cause hypotheses: how often did similar
 * devices' tickets turn out to be each failure mode? A ticket is mapped to a mode by its
 * resolution code when the knowledge graph knows the code, otherwise by the keywords in its
 * repair notes, comments and title.
 */

export interface ResolvedTicket {
  ticketNumber: string;
  deviceKind: string;
  deviceModel: string | null;
  resolutionCode: string | null;
  /** Repair notes, comments and title, concatenated. */
  text: string;
}

export interface ModeHistory {
  /** Resolved tickets of similar devices (the same pool for every mode). */
  similarResolved: number;
  matching: number;
  /** Ticket numbers of matching tickets, most recently added first, at most 5. */
  examples: string[];
  /** `model`: devices of the same model; `kind`: too few of those, so all of the kind. */
  scope: 'model' | 'kind';
}

/** Fewer resolved tickets of the same model than this: compare with the whole kind. */
export const MIN_SAME_MODEL = 5;
const MAX_EXAMPLES = 5;

interface Entry extends ResolvedTicket {
  seq: number;
  lowerText: string;
}

export class HistoryIndex {
  private readonly entries = new Map<string, Entry>();
  private seq = 0;

  get size(): number {
    return this.entries.size;
  }

  /** Adds or replaces (by ticket number) a resolved ticket; reopened-and-resolved tickets stay one. */
  add(ticket: ResolvedTicket): void {
    if (!ticket.ticketNumber) throw new Error('a resolved ticket needs a ticket number');
    if (!ticket.deviceKind) throw new Error(`ticket ${ticket.ticketNumber} has no device kind`);
    this.entries.set(ticket.ticketNumber, {
      ...ticket,
      seq: ++this.seq,
      lowerText: ticket.text.toLowerCase(),
    });
  }

  /** A ticket reopened: it no longer counts as resolved. */
  remove(ticketNumber: string): boolean {
    return this.entries.delete(ticketNumber);
  }

  /** Per mode id: how many resolved tickets of similar devices match it. */
  rates(
    deviceKind: string,
    deviceModel: string | null,
    modes: readonly FailureModeDef[],
  ): Record<string, ModeHistory> {
    const ofKind = [...this.entries.values()].filter((e) => e.deviceKind === deviceKind);
    // A blank model is unknown: never "the same model" as other unknown ones.
    const model = deviceModel?.trim() || null;
    const ofModel = model === null ? [] : ofKind.filter((e) => e.deviceModel === model);
    const scope: ModeHistory['scope'] = ofModel.length >= MIN_SAME_MODEL ? 'model' : 'kind';
    const pool = (scope === 'model' ? ofModel : ofKind).sort((a, b) => b.seq - a.seq);
    const out: Record<string, ModeHistory> = {};
    for (const m of modes) out[m.id] = { similarResolved: pool.length, matching: 0, examples: [], scope };
    for (const e of pool)
      for (const id of matchModes(e, modes)) {
        const h = out[id]!;
        h.matching++;
        if (h.examples.length < MAX_EXAMPLES) h.examples.push(e.ticketNumber);
      }
    return out;
  }
}

/**
 * The modes a resolved ticket stands for: the one its resolution code names, else those with the
 * most distinct keyword hits (ties count for each; a note naming several parts is ambiguous).
 */
export function matchModes(
  ticket: Pick<ResolvedTicket, 'resolutionCode' | 'text'> & { lowerText?: string },
  modes: readonly FailureModeDef[],
): string[] {
  const code = ticket.resolutionCode?.trim().toUpperCase();
  if (code) {
    const byCode = modes.filter((m) => m.resolutionCodes.some((c) => c.toUpperCase() === code));
    if (byCode.length > 0) return byCode.map((m) => m.id);
  }
  const text = ticket.lowerText ?? ticket.text.toLowerCase();
  let best = 0;
  let ids: string[] = [];
  for (const m of modes) {
    const hits = new Set(m.keywords.filter((k) => text.includes(k.toLowerCase()))).size;
    if (hits === 0 || hits < best) continue;
    if (hits > best) {
      best = hits;
      ids = [];
    }
    ids.push(m.id);
  }
  return ids;
}
