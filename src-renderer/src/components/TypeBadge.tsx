import type { TicketType } from '@shared/contract';
import { useLocalize } from '../app/i18n';

export function TypeBadge({ type, fallback }: { type: TicketType | undefined; fallback: string }) {
  const loc = useLocalize();
  const color = type?.color ?? '#8595a8';
  return (
    <span className="type-badge" style={{ color }} title={type ? loc(type.name) : fallback}>
      <span className="type-dot" style={{ background: color }} />
      <span className="type-name">{type ? loc(type.name) : fallback}</span>
    </span>
  );
}
