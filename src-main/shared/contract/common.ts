import { z } from 'zod';

/** ULIDs and config ids share this shape: short, printable, no spaces. */
export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'must be letters, digits or _ . : -');

export const IsoTime = z.iso.datetime({ offset: false });
export type IsoTime = z.infer<typeof IsoTime>;

/** Every label a business user writes is carried in both UI languages. */
export const LocalizedText = z.object({
  'zh-CN': z.string().min(1).max(200),
  en: z.string().min(1).max(200),
});
export type LocalizedText = z.infer<typeof LocalizedText>;

export const ActorRef = z.object({ id: Id, name: z.string().min(1).max(100) });
export type ActorRef = z.infer<typeof ActorRef>;

export const Empty = z.strictObject({});
