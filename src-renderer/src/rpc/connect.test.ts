import { describe, expect, it } from 'vitest';
import type { WatchfloorBridge } from '@shared/contract';
import { chooseTransport, resolveToken, rpcUrl, TOKEN_STORAGE_KEY, type KeyValueStorage } from './connect';

function memoryStorage(
  initial: Record<string, string> = {},
): KeyValueStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return {
    data,
    getItem: (k) => data[k] ?? null,
    setItem: (k, v) => {
      data[k] = v;
    },
  };
}

describe('connect', () => {
  it('builds ws and wss URLs on the page origin', () => {
    expect(rpcUrl({ protocol: 'http:', host: '127.0.0.1:7420' }, null)).toBe('ws://127.0.0.1:7420/rpc');
    expect(rpcUrl({ protocol: 'https:', host: 'hub.local' }, 'a b')).toBe('wss://hub.local/rpc?token=a%20b');
  });

  it('takes the token from the URL and remembers it for reloads', () => {
    const storage = memoryStorage();
    expect(resolveToken('?token=s3cret&x=1', storage)).toBe('s3cret');
    expect(storage.data[TOKEN_STORAGE_KEY]).toBe('s3cret');
    expect(resolveToken('', storage)).toBe('s3cret');
    expect(resolveToken('', memoryStorage())).toBeNull();
    expect(resolveToken('?token=new', storage)).toBe('new');
  });

  it('survives a storage that throws', () => {
    const broken: KeyValueStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(resolveToken('?token=t', broken)).toBe('t');
    expect(resolveToken('', broken)).toBeNull();
  });

  it('prefers the Electron bridge over WebSocket', () => {
    const bridge: WatchfloorBridge = {
      invoke: async () => ({ result: null }),
      subscribe: () => () => undefined,
    };
    const location = { protocol: 'file:', host: '', search: '' };
    expect(chooseTransport({ bridge, location, storage: null }).kind).toBe('ipc');
    expect(
      chooseTransport({
        bridge: undefined,
        location: { ...location, protocol: 'http:', host: 'h:1', search: '?token=x' },
        storage: null,
      }),
    ).toEqual({
      kind: 'ws',
      url: 'ws://h:1/rpc?token=x',
    });
  });
});
