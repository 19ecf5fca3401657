import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useBoard, useConfig, useStores, useViews } from '../../app/stores-context';
import { ErrorBanner } from '../../components/ErrorBanner';
import { FormModal } from '../../components/FormModal';
import { Modal } from '../../components/Modal';
import { queryKey, toQueryFilter } from '../../stores/board/board-query';
import { viewsSelectors } from '../../stores/views/views-store';

/** Load, save (new or overwrite own), share and delete board views. */
export function SavedViews() {
  const { t } = useTranslation();
  const { board, views: viewsStore } = useStores();
  const views = useViews((s) => s.views);
  const busy = useViews((s) => s.busy);
  const actionError = useViews((s) => s.actionError);
  const loadError = useViews((s) => s.error);
  const me = useConfig((s) => s.me);
  const activeId = useBoard((s) => s.activeViewId);
  const filter = useBoard((s) => s.filter);
  const sort = useBoard((s) => s.sort);
  const mode = useBoard((s) => s.mode);
  const [saving, setSaving] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const active = views.find((v) => v.id === activeId);
  const own = viewsSelectors.isOwn(active, me);
  const dirty =
    !!active && (queryKey(active.filter, active.sort) !== queryKey(filter, sort) || active.mode !== mode);
  const sorted = viewsSelectors.sorted(views, me);

  const overwrite = async () => {
    if (!active) return;
    await viewsStore.getState().save({
      id: active.id,
      name: active.name,
      filter: toQueryFilter(filter),
      sort,
      mode,
      shared: active.shared,
    });
  };

  return (
    <div className="saved-views">
      <label className="inline-label">
        {t('views.label')}
        <select
          className="input"
          data-testid="views-select"
          value={active ? active.id : ''}
          onChange={(e) => {
            const view = views.find((v) => v.id === e.target.value);
            if (view) board.getState().applyView(view);
            else board.getState().setActiveView(null);
          }}
        >
          <option value="">{loadError ? t('views.loadFailed') : t('views.none')}</option>
          {sorted.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
              {v.shared ? ` · ${t('views.sharedTag')}` : ''}
              {v.owner.id !== me?.id ? ` · ${v.owner.name}` : ''}
            </option>
          ))}
        </select>
      </label>
      {dirty && (
        <span className="dirty-mark" title={t('views.modified')}>
          ● {t('views.modified')}
        </span>
      )}
      <button
        type="button"
        className="button small"
        data-testid="view-save-overwrite"
        disabled={!own || busy || !dirty}
        onClick={() => void overwrite()}
        title={own ? t('views.overwriteHint') : t('views.notOwn')}
      >
        {t('views.save')}
      </button>
      <button
        type="button"
        className="button small"
        data-testid="view-save-new"
        disabled={busy}
        onClick={() => setSaving(true)}
      >
        {t('views.saveAs')}
      </button>
      <button
        type="button"
        className="button small ghost"
        data-testid="view-delete"
        disabled={!own || busy}
        onClick={() => setConfirmDelete(true)}
        title={own ? '' : t('views.notOwn')}
      >
        {t('views.delete')}
      </button>
      {actionError && !saving && (
        <div className="inline-error" data-testid="views-error">
          <code>{actionError.code}</code> {actionError.message}
          <button
            type="button"
            className="icon-button"
            onClick={() => viewsStore.getState().clearActionError()}
            aria-label={t('common.dismiss')}
          >
            ×
          </button>
        </div>
      )}
      {saving && <SaveViewDialog onClose={() => setSaving(false)} />}
      {confirmDelete && active && (
        <Modal
          title={t('views.deleteTitle')}
          onClose={() => setConfirmDelete(false)}
          width={420}
          testId="view-delete-dialog"
          footer={
            <>
              <button type="button" className="button ghost" onClick={() => setConfirmDelete(false)}>
                {t('common.cancel')}
              </button>
              <button
                type="button"
                className="button danger"
                data-testid="view-delete-confirm"
                onClick={async () => {
                  if (await viewsStore.getState().remove(active.id)) board.getState().setActiveView(null);
                  setConfirmDelete(false);
                }}
              >
                {t('views.delete')}
              </button>
            </>
          }
        >
          <p>{t('views.deleteConfirm', { name: active.name })}</p>
        </Modal>
      )}
    </div>
  );
}

function SaveViewDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { board, views } = useStores();
  const busy = useViews((s) => s.busy);
  const error = useViews((s) => s.actionError);
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);

  const submit = async () => {
    const { filter, sort, mode } = board.getState();
    const view = await views
      .getState()
      .save({ name: name.trim(), filter: toQueryFilter(filter), sort, mode, shared });
    if (view) {
      board.getState().setActiveView(view.id);
      onClose();
    }
  };

  return (
    <FormModal
      title={t('views.saveAsTitle')}
      onClose={onClose}
      width={440}
      testId="view-save-dialog"
      formId="save-view-form"
      onSubmit={() => {
        if (name.trim()) void submit();
      }}
      submitTestId="view-save-submit"
      submitDisabled={busy || !name.trim()}
      submitLabel={t('views.save')}
    >
      <label className="field">
        <span className="field-label">{t('views.name')}</span>
        <input
          className="input"
          data-testid="view-name"
          value={name}
          maxLength={80}
          onChange={(e) => setName(e.target.value)}
          data-autofocus
        />
      </label>
      <label className="checkbox-line">
        <input
          type="checkbox"
          data-testid="view-shared"
          checked={shared}
          onChange={(e) => setShared(e.target.checked)}
        />
        {t('views.shareWithEveryone')}
      </label>
      {error && <ErrorBanner error={error} onDismiss={() => views.getState().clearActionError()} />}
    </FormModal>
  );
}
