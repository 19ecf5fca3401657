import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  ActorRef,
  Assignee,
  ConfigDocument,
  LocalizedText,
  SystemInfo,
  TicketType,
  WorkflowState,
} from '@shared/contract';
import { findState, workflowOfType } from '@shared/domain';
import type { RpcClient } from '../../rpc/client';
import { toAppError, type AppError } from '../errors';

export interface ConfigState {
  config: ConfigDocument | null;
  /** Who this client acts as (from `system/info`): owner of saved views, author of comments. */
  me: ActorRef | null;
  system: SystemInfo | null;
  loading: boolean;
  error: AppError | null;
  load(): Promise<void>;
}

export type ConfigStore = StoreApi<ConfigState>;

export function createConfigStore(client: RpcClient): ConfigStore {
  return createStore<ConfigState>()((set) => ({
    config: null,
    me: null,
    system: null,
    loading: false,
    error: null,
    async load() {
      set({ loading: true });
      try {
        const [config, system] = await Promise.all([
          client.call('config/get', {}),
          client.call('system/info', {}),
        ]);
        set({ config, system, me: system.user, loading: false, error: null });
      } catch (err) {
        set({ loading: false, error: toAppError(err) });
      }
    },
  }));
}

/** Named lookups over the configuration document, for components and other stores. */
export const configSelectors = {
  type(config: ConfigDocument | null, typeId: string): TicketType | undefined {
    return config?.types.find((t) => t.id === typeId);
  },
  state(config: ConfigDocument | null, typeId: string, statusId: string): WorkflowState | undefined {
    if (!config) return undefined;
    const wf = workflowOfType(config, typeId);
    return wf ? findState(wf, statusId) : undefined;
  },
  /** A status label from any workflow, for history entries whose type is known only by its ticket. */
  anyStateLabel(config: ConfigDocument | null, statusId: string): LocalizedText | undefined {
    for (const wf of config?.workflows ?? []) {
      const s = findState(wf, statusId);
      if (s) return s.label;
    }
    return undefined;
  },
  /** The display name of an assignee: a user's name, or a team's or department's localized name. */
  assigneeName(config: ConfigDocument | null, assignee: Assignee | null): string | LocalizedText | null {
    if (!assignee || !config) return null;
    const dir = config.directory;
    if (assignee.kind === 'user') return dir.users.find((u) => u.id === assignee.id)?.name ?? assignee.id;
    const list = assignee.kind === 'team' ? dir.teams : dir.departments;
    return list.find((x) => x.id === assignee.id)?.name ?? assignee.id;
  },
  timezone(config: ConfigDocument | null): string {
    return config?.timezone ?? 'Asia/Shanghai';
  },
};
