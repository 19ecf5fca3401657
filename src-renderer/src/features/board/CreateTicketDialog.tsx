import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConfigDocument } from '@shared/contract';
import { useLocalize } from '../../app/i18n';
import { useStores } from '../../app/stores-context';
import { emptyDraft } from './ticket-draft';
import { TicketCreateDialog } from './TicketCreateDialog';

/** The board's 新建工单: any type, an empty draft. */
export function CreateTicketDialog({ config }: { config: ConfigDocument }) {
  const { t } = useTranslation();
  const loc = useLocalize();
  const { create } = useStores();
  const [typeId, setTypeId] = useState(config.types[0]?.id ?? '');
  const type = config.types.find((x) => x.id === typeId);

  return (
    <TicketCreateDialog
      config={config}
      type={type}
      initialDraft={() => emptyDraft(type?.defaultPriority ?? 'P3')}
      title={t('create.title')}
      submitLabel={t('create.submit')}
      prefix="create"
      onClose={() => create.getState().hide()}
      header={(_draft, setDraft) => (
        <div
          className="type-picker"
          role="radiogroup"
          aria-label={t('fieldName.type')}
          data-testid="create-type"
        >
          {config.types.map((ty) => (
            <label
              key={ty.id}
              className={`type-option${ty.id === typeId ? ' on' : ''}`}
              style={{ borderColor: ty.id === typeId ? ty.color : undefined }}
            >
              <input
                type="radio"
                name="create-type"
                value={ty.id}
                data-testid="create-type-option"
                checked={ty.id === typeId}
                onChange={() => {
                  setTypeId(ty.id);
                  // Keep what applies to every type; custom fields belong to the old type.
                  setDraft((d) => ({
                    ...d,
                    priority: d.priority === type?.defaultPriority ? ty.defaultPriority : d.priority,
                    fields: {},
                  }));
                }}
              />
              <span className="type-dot" style={{ background: ty.color }} />
              {loc(ty.name)}
            </label>
          ))}
        </div>
      )}
    />
  );
}
