import { useStores } from '../../app/stores-context';
import type { RpcClient } from '../../rpc/client';

/** The app's RPC client, for the telemetry features' own queries (open tickets, tooltip details). */
export function useFeatureClient(): RpcClient {
  return useStores().client;
}
