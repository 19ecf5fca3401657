import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Modal } from './Modal';

interface FormModalProps {
  title: ReactNode;
  onClose: () => void;
  /** Called on submit (Enter in a field or the submit button), after the browser's default is stopped. */
  onSubmit: () => void;
  /** The form's id, which the footer's submit button points at. */
  formId: string;
  submitLabel: ReactNode;
  submitTestId: string;
  submitDisabled?: boolean;
  /** Shown at the start of the footer, before the buttons (e.g. a keyboard hint). */
  footerNote?: ReactNode;
  width?: number;
  testId?: string;
  children: ReactNode;
}

/**
 * A Modal around one form, with Cancel and a primary submit button in the footer. The submit
 * button sits outside the form (in the footer) and submits it through `form={formId}`.
 */
export function FormModal({
  title,
  onClose,
  onSubmit,
  formId,
  submitLabel,
  submitTestId,
  submitDisabled,
  footerNote,
  width,
  testId,
  children,
}: FormModalProps) {
  const { t } = useTranslation();
  return (
    <Modal
      title={title}
      onClose={onClose}
      width={width}
      testId={testId}
      footer={
        <>
          {footerNote}
          <button type="button" className="button ghost" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            form={formId}
            className="button primary"
            data-testid={submitTestId}
            disabled={submitDisabled}
          >
            {submitLabel}
          </button>
        </>
      }
    >
      <form
        noValidate
        id={formId}
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        {children}
      </form>
    </Modal>
  );
}
