import type { ActorRef, Assignee, ConfigDocument } from '@shared/contract';
import type { Rng } from './prng';

/**
 * The directory as the demo needs it: who watches (NOC), who supervises, who answers the hotline,
 * which engineers belong to which team, and the bureaus. Preferred ids come from the default
 * configuration; anything a custom directory lacks falls back to what it has, so every assignee
 * the demo writes exists in the configuration it was given.
 */
export class People {
  readonly noc: ActorRef[];
  readonly supervisors: ActorRef[];
  readonly hotline: ActorRef[];
  readonly qa: ActorRef[];
  private readonly byTeam = new Map<string, ActorRef[]>();
  private readonly teams: Set<string>;
  private readonly departments: Map<string, string>;
  private readonly allUsers: ActorRef[];

  constructor(config: ConfigDocument) {
    const dir = config.directory;
    this.allUsers = dir.users.map((u) => ({ id: u.id, name: u.name }));
    for (const u of dir.users) {
      const list = this.byTeam.get(u.teamId) ?? [];
      list.push({ id: u.id, name: u.name });
      this.byTeam.set(u.teamId, list);
    }
    this.teams = new Set(dir.teams.map((t) => t.id));
    this.departments = new Map(dir.departments.map((d) => [d.id, d.name['zh-CN']]));
    const fallback: ActorRef[] = this.allUsers.length
      ? this.allUsers
      : [{ id: 'system', name: 'Watchfloor' }];
    this.noc = this.byTeam.get('team-noc') ?? fallback;
    const sup = dir.users
      .filter((u) => u.roles.includes('supervisor'))
      .map((u) => ({ id: u.id, name: u.name }));
    this.supervisors = sup.length ? sup : this.noc;
    this.hotline = this.byTeam.get('team-hotline') ?? fallback;
    this.qa = this.byTeam.get('team-qa') ?? fallback;
  }

  /** Engineers of a team (or everyone, when the team has nobody). */
  members(teamId: string | undefined): ActorRef[] {
    return (teamId && this.byTeam.get(teamId)) || (this.allUsers.length ? this.allUsers : this.noc);
  }

  user(actor: ActorRef): Assignee | null {
    return this.allUsers.some((u) => u.id === actor.id) ? { kind: 'user', id: actor.id } : null;
  }

  /** A team assignee, or null when the directory has no teams at all. */
  team(teamId: string | undefined, rng: Rng): Assignee | null {
    if (teamId && this.teams.has(teamId)) return { kind: 'team', id: teamId };
    if (this.teams.size === 0) return null;
    return { kind: 'team', id: rng.pick([...this.teams]) };
  }

  dept(deptId: string | undefined, rng: Rng): Assignee | null {
    if (deptId && this.departments.has(deptId)) return { kind: 'department', id: deptId };
    if (this.departments.size === 0) return null;
    return { kind: 'department', id: rng.pick([...this.departments.keys()]) };
  }

  /** A bureau acting on a request (the department itself signs). */
  deptActor(deptId: string): ActorRef {
    return { id: deptId, name: this.departments.get(deptId) ?? deptId };
  }
}
