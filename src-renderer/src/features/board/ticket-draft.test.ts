import { describe, expect, it } from 'vitest';
import type { Ticket } from '@shared/contract';
import { testConfig } from '../../stores/testing/test-config';
import {
  changedCustomFields,
  draftFromTicket,
  draftIsDirty,
  draftLocation,
  emptyDraft,
  patchFromDraft,
  rebaseDraft,
  validateDraft,
} from './ticket-draft';

const config = testConfig();
const deviceFault = config.types.find((t) => t.id === 'device-fault')!;

function ticket(): Ticket {
  return {
    id: 'T1',
    number: 'WF-2026-000001',
    typeId: 'device-fault',
    title: '逆变器告警',
    description: 'd',
    priority: 'P2',
    status: 'new',
    assignee: null,
    source: 'manual',
    businessKeys: { deviceSn: 'SN-1' },
    domains: ['production'],
    location: { lng: 114.1, lat: 22.5, address: '南山', gridId: 'g-1' },
    fields: { faultCode: 'E01', downtimeMinutes: 5 },
    links: [],
    sla: { policyId: null, responseDueAt: null, resolveDueAt: null, respondedAt: null, resolvedAt: null },
    comments: [],
    history: [],
    version: 3,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    createdBy: { id: 'u', name: 'u' },
    configVersion: 1,
    idempotencyKey: null,
  };
}

describe('ticket drafts', () => {
  it('patches only what changed and keeps the grid id of the location', () => {
    const t = ticket();
    const d = draftFromTicket(t);
    expect(patchFromDraft(t, d)).toBeNull();
    d.title = '  新标题 ';
    d.keyRows.push({ key: 'orderNo', value: 'O-9' }, { key: '', value: '' });
    d.address = '福田';
    d.fields = { ...d.fields, faultCode: '', siteName: '一号站' };
    expect(patchFromDraft(t, d)).toEqual({
      title: '新标题',
      businessKeys: { deviceSn: 'SN-1', orderNo: 'O-9' },
      location: { lng: 114.1, lat: 22.5, address: '福田', gridId: 'g-1' },
      fields: { faultCode: null, siteName: '一号站' },
    });
    d.lng = '';
    d.lat = '';
    d.address = '';
    expect(patchFromDraft(t, d)?.location).toBeNull();
  });

  it('checks coordinates in pairs and in range', () => {
    const d = emptyDraft('P3');
    expect(draftLocation(d)).toEqual({ location: null, problems: {} });
    expect(draftLocation({ ...d, lng: '114' }).problems).toEqual({ 'location.lat': 'lngLatPair' });
    expect(draftLocation({ ...d, lng: '200', lat: '95' }).problems).toEqual({
      'location.lng': 'lngRange',
      'location.lat': 'latRange',
    });
    expect(draftLocation({ ...d, lng: '114.05', lat: '22.54', address: ' 深圳 ' }).location).toEqual({
      lng: 114.05,
      lat: 22.54,
      address: '深圳',
    });
  });

  it('validates custom fields with the shared domain rules', () => {
    const d = { ...emptyDraft('P2'), title: 'x', fields: { downtimeMinutes: -1, deviceKind: 'toaster' } };
    const problems = validateDraft(d, deviceFault, 'create');
    expect(problems).toEqual({
      'fields.deviceKind': 'notOption',
      'fields.downtimeMinutes': { code: 'min', limit: '0' },
    });
    expect(validateDraft(emptyDraft('P2'), deviceFault, 'create').title).toBe('required');
    // Clearing an optional field while editing is fine.
    expect(validateDraft({ ...d, fields: {} }, deviceFault, 'edit', { faultCode: null })).toEqual({});
  });

  it('diffs custom fields, clearing emptied ones', () => {
    expect(changedCustomFields({ a: 'x', b: 1 }, { a: 'x', b: 2, c: [] })).toEqual({ b: 2 });
    expect(changedCustomFields({ a: 'x' }, {})).toEqual({ a: null });
  });
});

describe('rebasing an edit on a newer version', () => {
  it('keeps what the user changed and takes the rest from the latest version', () => {
    const base = ticket();
    const draft = draftFromTicket(base);
    draft.title = 'mine';
    draft.fields = { ...draft.fields, faultCode: 'E99' };
    const latest: Ticket = {
      ...base,
      version: 4,
      title: 'theirs',
      description: 'theirs too',
      priority: 'P1',
      fields: { faultCode: 'E01', downtimeMinutes: 30 },
    };
    const merged = rebaseDraft(base, draft, latest);
    expect(merged.title).toBe('mine');
    expect(merged.description).toBe('theirs too');
    expect(merged.priority).toBe('P1');
    expect(merged.fields).toEqual({ faultCode: 'E99', downtimeMinutes: 30 });
    expect(patchFromDraft(latest, merged)).toEqual({ title: 'mine', fields: { faultCode: 'E99' } });
  });

  it('calls a draft dirty when leaving would lose typing, not for whitespace or blank rows', () => {
    const t = ticket();
    const d = () => draftFromTicket(t);
    expect(draftIsDirty(t, d())).toBe(false);
    expect(draftIsDirty(t, { ...d(), title: ` ${t.title}  ` })).toBe(false);
    expect(draftIsDirty(t, { ...d(), keyRows: [...d().keyRows, { key: '', value: ' ' }] })).toBe(false);
    expect(draftIsDirty(t, { ...d(), title: '逆变器告警（已确认）' })).toBe(true);
    expect(draftIsDirty(t, { ...d(), title: '' })).toBe(true);
    expect(draftIsDirty(t, { ...d(), priority: 'P1' })).toBe(true);
    expect(draftIsDirty(t, { ...d(), fields: { ...t.fields, faultCode: null } })).toBe(true);
    // Typing the patch cannot carry yet still counts.
    expect(draftIsDirty(t, { ...d(), lat: '' })).toBe(true);
    expect(draftIsDirty(t, { ...d(), keyRows: [...d().keyRows, { key: 'orderNo', value: '' }] })).toBe(true);
  });
});
