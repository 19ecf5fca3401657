import { z } from 'zod';
import { ActorRef, Id, IsoTime } from './common';
import { TicketFilter, TicketSort } from './tickets';

export const BoardMode = z.enum(['list', 'kanban']);
export type BoardMode = z.infer<typeof BoardMode>;

export const SavedView = z.object({
  id: Id,
  name: z.string().trim().min(1).max(80),
  filter: TicketFilter,
  sort: TicketSort,
  mode: BoardMode,
  /** Shared views are seen by everyone; the others only by their owner. */
  shared: z.boolean(),
  owner: ActorRef,
  updatedAt: IsoTime,
});
export type SavedView = z.infer<typeof SavedView>;

export const ViewSaveParams = z.strictObject({
  /** Omit to create a view; give an existing id to overwrite it. */
  id: Id.optional(),
  name: z.string().trim().min(1).max(80),
  filter: TicketFilter,
  sort: TicketSort,
  mode: BoardMode,
  shared: z.boolean().default(false),
});
export type ViewSaveParams = z.input<typeof ViewSaveParams>;

export const viewMethods = {
  'views/list': { params: z.strictObject({}), result: z.array(SavedView) },
  'views/save': { params: ViewSaveParams, result: SavedView },
  'views/delete': { params: z.strictObject({ id: Id }), result: z.object({ id: Id }) },
} as const;

export const viewEvents = {
  'views/changed': z.object({ op: z.enum(['saved', 'deleted']), id: Id }),
} as const;
