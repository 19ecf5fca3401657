import { ulid } from 'ulid';
import { ErrorCode, RpcError, type MethodInput, type SavedView } from '@shared/contract';
import type { Clock, StoragePort } from '../ports';
import type { Serializer } from '../rpc/serializer';
import type { CommandContext } from '../tickets/ticket-service';

/** Saved board views: a user's own, plus the ones anybody shared. */
export class ViewService {
  constructor(
    private readonly storage: StoragePort,
    private readonly clock: Clock,
    private readonly serializer: Serializer,
    private readonly publish: (op: 'saved' | 'deleted', id: string) => void,
  ) {}

  async list(ctx: CommandContext): Promise<SavedView[]> {
    return (await this.storage.views()).filter((v) => v.shared || v.owner.id === ctx.actor.id);
  }

  async save(input: MethodInput<'views/save'>, ctx: CommandContext): Promise<SavedView> {
    const { view, durable } = await this.serializer.run(async () => {
      if (input.id) {
        const existing = (await this.storage.views()).find((v) => v.id === input.id);
        if (!existing) throw new RpcError(ErrorCode.NotFound, `view ${input.id} not found`);
        if (existing.owner.id !== ctx.actor.id) {
          throw new RpcError(
            ErrorCode.PermissionDenied,
            `view "${existing.name}" belongs to ${existing.owner.name}; save it under a new name`,
          );
        }
      }
      const at = new Date(this.clock.now()).toISOString();
      const view: SavedView = {
        id: input.id ?? `view-${ulid()}`,
        name: input.name,
        filter: input.filter,
        sort: input.sort,
        mode: input.mode,
        shared: input.shared,
        owner: ctx.actor,
        updatedAt: at,
      };
      return {
        view,
        durable: this.storage.append([{ v: 1, type: 'view.saved', at, actor: ctx.actor, view }]),
      };
    });
    await durable;
    this.publish('saved', view.id);
    return view;
  }

  async remove(input: MethodInput<'views/delete'>, ctx: CommandContext): Promise<{ id: string }> {
    const durable = await this.serializer.run(async () => {
      const existing = (await this.storage.views()).find((v) => v.id === input.id);
      if (!existing) throw new RpcError(ErrorCode.NotFound, `view ${input.id} not found`);
      if (existing.owner.id !== ctx.actor.id) {
        throw new RpcError(
          ErrorCode.PermissionDenied,
          `view "${existing.name}" belongs to ${existing.owner.name}`,
        );
      }
      const at = new Date(this.clock.now()).toISOString();
      return this.storage.append([{ v: 1, type: 'view.deleted', at, actor: ctx.actor, id: input.id }]);
    });
    await durable;
    this.publish('deleted', input.id);
    return { id: input.id };
  }
}
