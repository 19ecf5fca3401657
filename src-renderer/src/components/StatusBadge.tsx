import type { StatusCategory } from '@shared/contract';

export function StatusBadge({ label, category }: { label: string; category: StatusCategory | undefined }) {
  return <span className={`status status-${category ?? 'unknown'}`}>{label}</span>;
}
