import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Device } from '@shared/contract';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Modal } from '../../components/Modal';
import { useDeviceStores, useDevices } from './use-device-stores';
import { useFocusTrap } from './use-focus-trap';

/** Asks before removing a device; the registry offers an undo afterwards (it saves the device again). */
export function RemoveDeviceDialog({
  device,
  onClose,
  onRemoved,
}: {
  device: Device;
  onClose: () => void;
  onRemoved: (device: Device) => void;
}) {
  const { t } = useTranslation();
  useFocusTrap();
  const { devices } = useDeviceStores();
  const removing = useDevices((s) => s.removing);
  const error = useDevices((s) => s.removeError);
  useEffect(() => () => devices.getState().clearErrors(), [devices]);

  const confirm = async (): Promise<void> => {
    if (await devices.getState().remove(device.sn, device.version)) onRemoved(device);
  };

  return (
    <Modal
      title={t('devices.removeDialog.title')}
      onClose={onClose}
      width={460}
      testId="device-remove-dialog"
      footer={
        <>
          <button type="button" className="button ghost" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button
            type="button"
            className="button danger"
            disabled={removing}
            onClick={() => void confirm()}
            data-testid="device-remove-confirm"
            data-autofocus
          >
            {t('devices.removeDialog.confirm')}
          </button>
        </>
      }
    >
      <p>{t('devices.removeDialog.body', { sn: device.sn, site: device.site })}</p>
      <p className="muted small">{t('devices.removeDialog.note')}</p>
      {error && <ErrorBanner error={error} />}
    </Modal>
  );
}
