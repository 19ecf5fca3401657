import type { DispatchCandidate, DispatchDecision, User } from '@shared/contract';

/**
 * Who the operator may pick instead of the strategy's choice: its scored candidates first (best
 * first, the chosen one included so an earlier override can be undone), then the other engineers of
 * the directory (role `engineer`; everyone when nobody has that role), by name.
 */
export function overrideChoices(
  dispatch: DispatchDecision | null,
  users: readonly User[],
): { candidates: DispatchCandidate[]; others: User[] } {
  const all = dispatch ? [...(dispatch.chosen ? [dispatch.chosen] : []), ...dispatch.alternatives] : [];
  const seen = new Set<string>();
  const candidates = all.filter((c) => !seen.has(c.userId) && seen.add(c.userId));
  candidates.sort((a, b) => b.score - a.score);
  const engineers = users.filter((u) => u.roles.includes('engineer'));
  const pool = engineers.length > 0 ? engineers : users;
  const others = pool.filter((u) => !seen.has(u.id)).sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
  return { candidates, others };
}
