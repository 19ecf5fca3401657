import { useTranslation } from 'react-i18next';
import { ImpactDomain } from '@shared/contract';

export function DomainPicker({
  value,
  onChange,
  testIdPrefix,
}: {
  value: ImpactDomain[];
  onChange: (v: ImpactDomain[]) => void;
  testIdPrefix: string;
}) {
  const { t } = useTranslation();
  return (
    <div className="chip-group">
      {ImpactDomain.options.map((d) => (
        <label key={d} className={`chip${value.includes(d) ? ' on' : ''}`}>
          <input
            type="checkbox"
            data-testid={`${testIdPrefix}-${d}`}
            checked={value.includes(d)}
            onChange={() =>
              onChange(
                value.includes(d)
                  ? value.filter((x) => x !== d)
                  : ImpactDomain.options.filter((x) => x === d || value.includes(x)),
              )
            }
          />
          {t(`domain.${d}`)}
        </label>
      ))}
    </div>
  );
}
