import type {
  ActorRef,
  BusinessKeys,
  CustomFields,
  GeoLocation,
  ImpactDomain,
  Priority,
  TicketSource,
} from '@shared/contract';
import type { Rng } from './prng';
import type { Device, Site } from './world';

/** What people write at each step of a ticket's life; each story supplies its own wording. */
export type Line =
  | 'dispatch'
  | 'ack'
  | 'diagnose'
  | 'progress'
  | 'hold'
  | 'resume'
  | 'resolve'
  | 'cancel'
  | 'reopen'
  | 'escalate'
  | 'close'
  | 'schedule'
  | 'clear'
  | 'return'
  | 'reply'
  | 'rework'
  | 'revisit';

/** Who is expected to work on a ticket, as directory ids (filtered against the config later). */
export interface Routing {
  /** Field / line / QA team for operations tickets. */
  team?: string;
  /** Department (bureau) for citizen requests. */
  dept?: string;
  /** A plausible wrong first dispatch, returned by the bureau. */
  wrongDept?: string;
}

/** A generated ticket before it has an id, a number and a life. */
export interface Story {
  typeId: string;
  title: string;
  description: string;
  priority: Priority;
  source: TicketSource;
  businessKeys: BusinessKeys;
  domains: ImpactDomain[];
  location: GeoLocation | null;
  fields: CustomFields;
  idempotencyKey: string | null;
  createdBy: ActorRef;
  routing: Routing;
  /** Auto-routed at creation (telemetry and predictive tickets go straight to a team). */
  routedAtCreation: boolean;
  /** The device stopped: a resolved fault records its downtime. */
  downtime: boolean;
  /** Can be fixed remotely (short resolution, no travel). */
  remote: boolean;
  say(line: Line, rng: Rng, values?: Record<string, string | number>): string;
  /** Facts later tickets use to link to this one. */
  facts: StoryFacts;
}

export interface StoryFacts {
  device?: Device;
  site?: Site;
  /** `QJ/C2` for battery lines. */
  lineKey?: string;
  /** Citizen request category index (for duplicates). */
  category?: number;
  /** A site-wide outage that later per-device tickets become children of. */
  siteOutage?: boolean;
}

export const SYSTEM: ActorRef = { id: 'system', name: 'Watchfloor' };
export const PREDICT_ENGINE: ActorRef = { id: 'svc-predict', name: '预测性维护引擎' };
export const MES: ActorRef = { id: 'svc-mes', name: 'MES 制造执行系统' };
export const SERVICE_CRM: ActorRef = { id: 'svc-crm', name: '售后服务 CRM' };
export const WEB_12345: ActorRef = { id: 'svc-12345-web', name: '12345 网络受理平台' };

/** Fills `{name}` placeholders. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in values ? String(values[k]) : m));
}

/** Picks one template and fills it. */
export function say(
  rng: Rng,
  templates: readonly string[],
  values: Record<string, string | number> = {},
): string {
  return fill(rng.pick(templates), values);
}

/** Probability weights over P1..P4. */
export type PriorityWeights = readonly [number, number, number, number];
export const PRIORITIES: readonly Priority[] = ['P1', 'P2', 'P3', 'P4'];
