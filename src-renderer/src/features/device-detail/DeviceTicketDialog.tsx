import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConfigDocument, Device, DeviceKind, DeviceTelemetry, Ticket } from '@shared/contract';
import { formatDateTime } from '../../app/format';
import { useLocalize } from '../../app/i18n';
import { useStores } from '../../app/stores-context';
import { rowsFromKeys } from '../../components/BusinessKeysEditor';
import { emptyDraft, type TicketDraft } from '../board/ticket-draft';
import { TicketCreateDialog } from '../board/TicketCreateDialog';
import { formatValue, metricBand, priorityFromHealth } from '../heatmap/health-scale';
import {
  DEVICE_FAULT_TYPE,
  DEVICE_TICKET_DOMAINS,
  currentHealth,
  deviceFields,
  deviceLevel,
  deviceLocation,
  latestValue,
} from './device-series';
import { DEVICE_SN_KEY } from './device-tickets-store';

interface Props {
  config: ConfigDocument;
  device: Device;
  kind: DeviceKind | undefined;
  detail: DeviceTelemetry | null;
  frameHealth: number | null;
  onClose: () => void;
  onCreated: (ticket: Ticket) => void;
}

/**
 * The create form, prefilled from a device: the device-fault type, a title naming the device and
 * its problem, the priority its health suggests, business key deviceSn, the device's location and
 * grid cell, the type's device fields, and a snapshot of the latest telemetry in the description
 * (the ticket contract has no snapshot field; the description is kept with the ticket's history).
 */
export function DeviceTicketDialog({ config, device, kind, detail, frameHealth, onClose, onCreated }: Props) {
  const { t } = useTranslation();
  const loc = useLocalize();
  const { create } = useStores();
  const type = config.types.find((x) => x.id === DEVICE_FAULT_TYPE) ?? config.types[0];
  const { gridId } = deviceLocation(device);

  const initialDraft = (): TicketDraft => {
    const level = deviceLevel(detail, frameHealth);
    const health = currentHealth(detail, frameHealth);
    const kindName = kind ? loc(kind.name) : device.kind;
    const at = formatDateTime(Date.now(), config.timezone, { seconds: true });
    const lines = [
      t('deviceDetail.ticket.snapshotHeading', { at }),
      t('deviceDetail.ticket.snapshotDevice', {
        sn: device.sn,
        kind: kindName,
        model: device.model || '—',
        site: device.site,
        region: device.region,
      }),
      t('deviceDetail.ticket.snapshotState', {
        state: t(`telemetry.state.${detail?.state ?? 'unknown'}`),
        lastSeen: detail?.lastSeen
          ? formatDateTime(detail.lastSeen, config.timezone, { seconds: true })
          : t('telemetry.never'),
      }),
      t('deviceDetail.ticket.snapshotHealth', {
        health:
          health === null ? t(`telemetry.health.${level}`) : `${health} (${t(`telemetry.health.${level}`)})`,
      }),
    ];
    let any = false;
    for (const def of kind?.metrics ?? []) {
      const v = latestValue(detail?.metrics[def.key]);
      if (!Number.isFinite(v)) continue;
      any = true;
      const band = metricBand(v, def);
      lines.push(
        t('deviceDetail.ticket.snapshotMetric', {
          label: loc(def.label),
          value: formatValue(v),
          unit: def.unit,
          band: band ? t('deviceDetail.ticket.bandSuffix', { band: t(`telemetry.health.${band}`) }) : '',
        }),
      );
    }
    if (!any) lines.push(t('deviceDetail.ticket.snapshotNone'));
    const { location } = deviceLocation(device);
    const typeField = type?.fields.find((f) => f.key === 'deviceKind');
    const options = typeField?.options?.map((o) => o.value) ?? null;
    return {
      ...emptyDraft(priorityFromHealth(health, level === 'offline')),
      title: t('deviceDetail.ticket.title', {
        kind: kindName,
        sn: device.sn,
        problem: t(`deviceDetail.ticket.problem.${level}`, { health: health ?? '' }),
      }),
      description: lines.join('\n'),
      domains: [...DEVICE_TICKET_DOMAINS],
      keyRows: rowsFromKeys({ [DEVICE_SN_KEY]: device.sn }),
      fields: deviceFields(device, type?.fields.map((f) => f.key) ?? [], options),
      lng: location ? String(location.lng) : '',
      lat: location ? String(location.lat) : '',
      address: location?.address ?? '',
    };
  };
  // A fresh create session (its own idempotency key); closing ends it.
  useEffect(() => {
    create.getState().hide();
    return () => create.getState().hide();
  }, [create]);

  return (
    <TicketCreateDialog
      config={config}
      type={type}
      initialDraft={initialDraft}
      gridId={gridId}
      title={t('deviceDetail.ticket.dialogTitle')}
      submitLabel={t('deviceDetail.ticket.submit')}
      prefix="device-ticket"
      onClose={onClose}
      onCreated={onCreated}
      footerNote={
        <span className="muted dd-dialog-from">
          {t('deviceDetail.ticket.from', { sn: device.sn, site: device.site })}
          {type ? ` · ${loc(type.name)}` : ''}
          {gridId ? ` · ${t('location.grid')} ${gridId}` : ''}
        </span>
      }
    />
  );
}
