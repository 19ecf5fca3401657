import type { Connector, ConnectorSettings } from '@shared/contract';
import type { AggregateState } from '../../stores/connectors/connectors-store';

/**
 * What the operator sees of a connection. The core's states are the wire's (connecting, connected,
 * disconnected, error, disabled); the manager retries after every loss with a backoff, so a
 * disconnected connector, or one connecting again after a loss, is "reconnecting".
 */
export type ConnectorLook = 'disabled' | 'connecting' | 'connected' | 'reconnecting' | 'error';

export function lookOf(c: Pick<Connector, 'enabled' | 'status'>): ConnectorLook {
  const { state, reconnects } = c.status;
  if (!c.enabled || state === 'disabled') return 'disabled';
  if (state === 'connected') return 'connected';
  if (state === 'error') return 'error';
  if (state === 'disconnected') return 'reconnecting';
  return reconnects > 0 ? 'reconnecting' : 'connecting';
}

/** Colour class of a look (and of the header badge's aggregate). */
export type Tone = 'ok' | 'warn' | 'danger' | 'idle';

export const toneOfLook = (look: ConnectorLook): Tone =>
  look === 'connected' ? 'ok' : look === 'error' ? 'danger' : look === 'disabled' ? 'idle' : 'warn';

export const toneOfAggregate = (a: AggregateState): Tone =>
  a === 'ok' ? 'ok' : a === 'down' ? 'danger' : a === 'degraded' || a === 'connecting' ? 'warn' : 'idle';

/** Connected and enabled connectors, for the badge's "MQTT 2/3". */
export function connectedCount(connectors: readonly Connector[]): { connected: number; enabled: number } {
  const enabled = connectors.filter((c) => lookOf(c) !== 'disabled');
  return { connected: enabled.filter((c) => c.status.state === 'connected').length, enabled: enabled.length };
}

/** A connector's saved settings (without id, status and secrets), to save it again with a change. */
export function settingsOf(c: Connector): ConnectorSettings {
  return {
    name: c.name,
    enabled: c.enabled,
    url: c.url,
    clientId: c.clientId,
    username: c.username,
    tls: { ...c.tls },
    persistentSession: c.persistentSession,
    keepaliveSec: c.keepaliveSec,
    subscriptions: c.subscriptions.map((s) => ({ ...s })),
    mappings: c.mappings.map((m) => structuredClone(m)),
    unknownDevices: c.unknownDevices,
    maxPastSec: c.maxPastSec,
    maxFutureSec: c.maxFutureSec,
    maxPayloadBytes: c.maxPayloadBytes,
    maxMessagesPerSecond: c.maxMessagesPerSecond,
  };
}

/** A URL with any user:password@ part masked (the core redacts too; this is for what we display). */
export function displayUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/)[^@/\s]+@/i, '$1•••@');
}

/** A duration in its largest whole unit, for "since 3 min". */
export function durationParts(ms: number): { n: number; unit: 's' | 'm' | 'h' | 'd' } {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return { n: s, unit: 's' };
  if (s < 3600) return { n: Math.floor(s / 60), unit: 'm' };
  if (s < 86_400) return { n: Math.floor(s / 3600), unit: 'h' };
  return { n: Math.floor(s / 86_400), unit: 'd' };
}
