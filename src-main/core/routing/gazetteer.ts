import { DISTRICTS, streetsOf } from '../demo/geo';
import { Rng, hash32 } from '../demo/prng';
import { hasChinese, normalizeAddress, placeChars, stripPrefix } from './address-normalize';
import type { GridIndex } from './grid-index';
import { HANGZHOU_LANDMARKS, type Landmark } from './landmarks';

/**
 * The offline gazetteer of the demo city and its fuzzy matcher for Chinese addresses
 * (docs/routing.md describes the algorithm step by step).
 *
 * Entries: districts, streets (街道/镇) and their centres come from the demo geography; communities
 * (社区) and roads get a deterministic point inside one of their district's streets (the demo city has
 * no road geometry, so a road is a representative point, not a line); landmarks are the hand-written
 * list in landmarks.ts; grid ids come from the grid itself.
 *
 * Matching: normalise → strip 中国/浙江省/杭州市 → every name or alias occurring in the text (longest
 * match: a hit inside a longer hit is dropped) → typo candidates for the uncovered stretches (edit
 * distance with transpositions, bigram Dice as the tie-break) → chains of mutually consistent hits
 * (one district, at most one street/community/landmark, up to two roads) → the heaviest chain wins;
 * chains equally heavy that point at different places make the answer ambiguous.
 */

export type PlaceLevel = 'district' | 'street' | 'community' | 'road' | 'landmark' | 'grid';

export interface GazetteerEntry {
  /** Unique: `<level>:<district>:<name>`. */
  id: string;
  name: string;
  /** Other ways to write it (a district without 区, a street without 街道). */
  aliases: readonly string[];
  level: PlaceLevel;
  lng: number;
  lat: number;
  district: string | null;
  street: string | null;
}

export interface GeocodeMatch {
  /** The place whose point is returned. */
  name: string;
  level: PlaceLevel;
  lng: number;
  lat: number;
  /** 0..1: how exactly and how completely the address was matched. */
  score: number;
  district: string | null;
  street: string | null;
  /** The places recognised in the address, coarse to fine, e.g. `西湖区 / 古荡街道 / 文三路`. */
  path: string;
  /** True when a name was only recognised through a typo tolerance. */
  fuzzy: boolean;
}

export type GeocodeFailureCode =
  'empty' | 'too-long' | 'not-chinese' | 'elsewhere' | 'not-found' | 'ambiguous';

export interface GeocodeResult {
  query: string;
  normalized: string;
  /** Best first. When `ambiguous`, the equally good candidates the agent chooses from. */
  matches: GeocodeMatch[];
  ambiguous: boolean;
  /** Why there is no single answer; null when `matches[0]` is it. */
  reason: { code: GeocodeFailureCode; message: string } | null;
}

export const MAX_ADDRESS_CHARS = 200;

const LEVEL_WEIGHT: Record<PlaceLevel, number> = {
  district: 1.0,
  street: 1.1,
  community: 1.0,
  road: 0.9,
  landmark: 1.2,
  grid: 3.0,
};
/** A name written in a short form counts a little less than the full name. */
const ALIAS_FACTOR = 0.9;
const MAX_ALTERNATIVES = 5;

interface Hit {
  entry: GazetteerEntry;
  start: number;
  end: number;
  /** 1 for an exact full name, {@link ALIAS_FACTOR} for an alias, lower for a typo. */
  quality: number;
  fuzzy: boolean;
}

interface Chain {
  members: Hit[];
  weight: number;
  place: GazetteerEntry;
}

const hitWeight = (h: Hit): number => (h.end - h.start) * h.quality * LEVEL_WEIGHT[h.entry.level];

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n]!;
}

/** Sørensen–Dice coefficient of the character bigrams of two strings (0..1). */
export function bigramDice(a: string, b: string): number {
  const grams = (s: string): string[] =>
    Array.from({ length: Math.max(0, s.length - 1) }, (_, i) => s.slice(i, i + 2));
  const ga = grams(a);
  const gb = grams(b);
  if (ga.length + gb.length === 0) return a === b ? 1 : 0;
  const pool = new Map<string, number>();
  for (const g of gb) pool.set(g, (pool.get(g) ?? 0) + 1);
  let shared = 0;
  for (const g of ga) {
    const c = pool.get(g) ?? 0;
    if (c > 0) {
      shared++;
      pool.set(g, c - 1);
    }
  }
  return (2 * shared) / (ga.length + gb.length);
}

/** Typos tolerated in a name of this length: none below 3 characters, 1 up to 5, then 2. */
const maxTypos = (len: number): number => (len < 3 ? 0 : len <= 5 ? 1 : 2);

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export class Gazetteer {
  readonly entries: readonly GazetteerEntry[];
  private readonly keys = new Map<string, { entry: GazetteerEntry; alias: boolean }[]>();
  private readonly maxKeyLength: number;
  /** Character → keys of at least 3 characters containing it (typo candidates). */
  private readonly charIndex = new Map<string, Set<string>>();
  private readonly grid: GridIndex | null;

  constructor(entries: readonly GazetteerEntry[], options: { grid?: GridIndex | null } = {}) {
    this.entries = entries;
    this.grid = options.grid ?? null;
    const ids = new Set<string>();
    for (const e of entries) {
      if (ids.has(e.id)) throw new Error(`gazetteer: duplicate entry id ${e.id}`);
      ids.add(e.id);
    }
    const add = (key: string, entry: GazetteerEntry, alias: boolean): void => {
      const k = normalizeAddress(key).text;
      if (k.length < 2) return;
      const list = this.keys.get(k) ?? [];
      if (!list.some((x) => x.entry === entry)) list.push({ entry, alias });
      this.keys.set(k, list);
    };
    for (const e of entries) add(e.name, e, false);
    // An alias equal to some full name is dropped: the full name is what the writer meant.
    for (const e of entries)
      for (const a of e.aliases) {
        const k = normalizeAddress(a).text;
        const existing = this.keys.get(k);
        if (existing?.some((x) => !x.alias && x.entry !== e)) continue;
        add(a, e, true);
      }
    // Between aliases, the coarser level keeps it (九堡 is the street 九堡街道, not the community 九堡社区).
    const rank: Record<PlaceLevel, number> = {
      district: 0,
      street: 1,
      landmark: 2,
      community: 3,
      road: 4,
      grid: 5,
    };
    for (const [k, list] of this.keys) {
      if (list.length < 2 || list.some((x) => !x.alias)) continue;
      const best = Math.min(...list.map((x) => rank[x.entry.level]));
      this.keys.set(
        k,
        list.filter((x) => rank[x.entry.level] === best),
      );
    }
    let max = 0;
    for (const k of this.keys.keys()) {
      max = Math.max(max, k.length);
      if (k.length >= 3)
        for (const ch of new Set(k))
          (this.charIndex.get(ch) ?? this.charIndex.set(ch, new Set()).get(ch)!).add(k);
    }
    this.maxKeyLength = max;
  }

  /** Whether a word followed by 市 is a place of this city (建德市, or 萧山 of the former 萧山市). */
  private isLocalStem(stem: string): boolean {
    for (const [k, list] of this.keys)
      if (k.startsWith(stem) && list.some((x) => x.entry.level === 'district' || x.entry.level === 'street'))
        return true;
    return false;
  }

  private exactHits(text: string): Hit[] {
    const hits: Hit[] = [];
    for (let i = 0; i < text.length; i++)
      for (let len = Math.min(this.maxKeyLength, text.length - i); len >= 2; len--) {
        const list = this.keys.get(text.slice(i, i + len));
        if (list)
          for (const { entry, alias } of list)
            hits.push({ entry, start: i, end: i + len, quality: alias ? ALIAS_FACTOR : 1, fuzzy: false });
      }
    // Longest match: a hit lying inside a longer one is part of that name (西湖 inside 西湖区).
    return hits.filter(
      (h) => !hits.some((o) => o.end - o.start > h.end - h.start && o.start <= h.start && o.end >= h.end),
    );
  }

  /** Typo candidates in the stretches of Chinese text no exact hit covers. */
  private fuzzyHits(text: string, covered: boolean[]): Hit[] {
    const out: Hit[] = [];
    const runs: [number, number][] = [];
    let s = -1;
    for (let i = 0; i <= text.length; i++) {
      const ok = i < text.length && !covered[i] && /\p{Script=Han}/u.test(text[i]!);
      if (ok && s < 0) s = i;
      if (!ok && s >= 0) {
        if (i - s >= 2) runs.push([s, i]);
        s = -1;
      }
    }
    for (const [rs, re] of runs) {
      const run = text.slice(rs, re);
      const counts = new Map<string, number>();
      for (const ch of new Set(run))
        for (const k of this.charIndex.get(ch) ?? []) counts.set(k, (counts.get(k) ?? 0) + 1);
      let best: { key: string; start: number; end: number; d: number; dice: number }[] = [];
      let bestRank = -Infinity;
      for (const [key, shared] of counts) {
        const t = maxTypos(key.length);
        if (t === 0 || shared < key.length - t) continue;
        for (let w = Math.max(2, key.length - t); w <= Math.min(run.length, key.length + t); w++)
          for (let i = 0; i + w <= run.length; i++) {
            const window = run.slice(i, i + w);
            const d = editDistance(window, key);
            if (d === 0 || d > t) continue;
            const dice = bigramDice(window, key);
            // Fewer typos first, then the longer name. Shared bigrams only order the candidates: two
            // names one typo away are equally likely, so the agent is shown both (文山路: 文三路 or 超山路?).
            const rank = -d * 1000 + key.length;
            if (rank > bestRank + 1e-9) {
              bestRank = rank;
              best = [{ key, start: rs + i, end: rs + i + w, d, dice }];
            } else if (Math.abs(rank - bestRank) <= 1e-9)
              best.push({ key, start: rs + i, end: rs + i + w, d, dice });
          }
      }
      best.sort((a, b) => b.dice - a.dice || a.start - b.start);
      for (const b of best)
        for (const { entry, alias } of this.keys.get(b.key)!)
          out.push({
            entry,
            start: b.start,
            end: b.end,
            quality: (1 - b.d / b.key.length) * (alias ? ALIAS_FACTOR : 1),
            fuzzy: true,
          });
    }
    return out;
  }

  private gridHit(gridId: string | null): GazetteerEntry | null {
    if (!gridId || !this.grid) return null;
    const cell = this.grid.cell(gridId);
    const centre = this.grid.cellCentre(gridId);
    if (!cell || !centre) return null;
    return {
      id: `grid:${cell.id}`,
      name: cell.id,
      aliases: [],
      level: 'grid',
      lng: centre.lng,
      lat: centre.lat,
      district: cell.district,
      street: cell.street,
    };
  }

  /** Chains of consistent hits, one anchored at each hit, deduplicated, heaviest first. */
  private chains(hits: Hit[]): Chain[] {
    const byWeight = [...hits].sort((a, b) => hitWeight(b) - hitWeight(a) || a.start - b.start);
    const seen = new Set<string>();
    const chains: Chain[] = [];
    for (const anchor of hits) {
      const members = [anchor];
      const district = anchor.entry.district;
      for (const h of byWeight) {
        if (members.includes(h) || members.some((m) => m.entry === h.entry)) continue;
        if (members.some((m) => h.start < m.end && m.start < h.end)) continue;
        if (district === null || h.entry.district !== district) continue;
        const sameLevel = members.filter((m) => m.entry.level === h.entry.level).length;
        if (sameLevel >= (h.entry.level === 'road' ? 2 : 1)) continue;
        members.push(h);
      }
      members.sort((a, b) => a.start - b.start);
      const key = members
        .map((m) => m.entry.id)
        .sort()
        .join('|');
      if (seen.has(key)) continue;
      seen.add(key);
      chains.push({
        members,
        weight: members.reduce((s, m) => s + hitWeight(m), 0),
        place: placeOf(members),
      });
    }
    return chains.sort((a, b) => b.weight - a.weight || a.place.id.localeCompare(b.place.id));
  }

  geocode(query: string): GeocodeResult {
    const fail = (code: GeocodeFailureCode, message: string, normalized = ''): GeocodeResult => ({
      query,
      normalized,
      matches: [],
      ambiguous: false,
      reason: { code, message },
    });
    if (query.trim() === '') return fail('empty', 'the address is empty');
    if (query.length > MAX_ADDRESS_CHARS)
      return fail(
        'too-long',
        `the address has ${query.length} characters; at most ${MAX_ADDRESS_CHARS} are read`,
      );
    const { text: norm, gridId } = normalizeAddress(query);
    const gridEntry = this.gridHit(gridId);
    if (!gridEntry && !hasChinese(norm))
      return fail(
        'not-chinese',
        'the address names no place in Chinese; enter it in Chinese, e.g. 西湖区文三路268号',
        norm,
      );
    const prefix = stripPrefix(norm, (stem) => this.isLocalStem(stem));
    if (prefix.elsewhere)
      return fail('elsewhere', `the address is in ${prefix.elsewhere}, outside the demo city 杭州市`, norm);
    let text = prefix.rest;
    // A bare 杭州 prefix (杭州西湖区…) is dropped unless it starts a name (杭州东站).
    if (text.startsWith('杭州') && !this.exactHits(text).some((h) => h.start === 0)) text = text.slice(2);

    const exact = this.exactHits(text);
    const covered = new Array<boolean>(text.length).fill(false);
    for (const h of exact) for (let i = h.start; i < h.end; i++) covered[i] = true;
    const hits = [...exact, ...this.fuzzyHits(text, covered)];
    if (gridEntry) hits.push({ entry: gridEntry, start: -2, end: -1, quality: 1, fuzzy: false });
    if (hits.length === 0)
      return fail(
        'not-found',
        `no district, street, community, road or landmark of 杭州市 was recognised in "${query}"`,
        text,
      );

    const chains = this.chains(hits);
    const top = chains[0]!.weight;
    const tied: Chain[] = [];
    for (const c of chains)
      if (c.weight >= top - 1e-9 && !tied.some((t) => t.place.id === c.place.id)) tied.push(c);
    const ambiguous = tied.length > 1;
    const chars = Math.max(1, placeChars(text));
    const toMatch = (c: Chain): GeocodeMatch => {
      const real = c.members.filter((m) => m.start >= 0);
      const weightAll = c.members.reduce((s, m) => s + (m.end - m.start) * LEVEL_WEIGHT[m.entry.level], 0);
      const quality = weightAll > 0 ? c.weight / weightAll : 1;
      const coverage =
        real.length === 0 ? 1 : Math.min(1, real.reduce((s, m) => s + m.end - m.start, 0) / chars);
      const order: Record<PlaceLevel, number> = {
        district: 0,
        street: 1,
        community: 2,
        road: 3,
        landmark: 4,
        grid: 5,
      };
      return {
        name: c.place.name,
        level: c.place.level,
        lng: c.place.lng,
        lat: c.place.lat,
        score: round3(quality * (0.5 + 0.5 * coverage)),
        district: c.place.district,
        street: c.place.street,
        path: [...c.members]
          .sort((a, b) => order[a.entry.level] - order[b.entry.level] || a.start - b.start)
          .map((m) => m.entry.name)
          .join(' / '),
        fuzzy: c.members.some((m) => m.fuzzy),
      };
    };
    let matches: GeocodeMatch[];
    if (ambiguous) matches = tied.map(toMatch);
    else {
      const distinct: Chain[] = [];
      for (const c of chains) {
        if (!distinct.some((d) => d.place.id === c.place.id)) distinct.push(c);
        if (distinct.length >= MAX_ALTERNATIVES) break;
      }
      matches = distinct.map(toMatch);
    }
    return {
      query,
      normalized: text,
      matches,
      ambiguous,
      reason: ambiguous
        ? {
            code: 'ambiguous',
            message: `the address fits ${tied.length} places equally well: ${matches.map((m) => m.path).join('; ')}; choose one or add the district or street`,
          }
        : null,
    };
  }
}

/**
 * The point of a chain: a landmark or grid cell when named; a community when it lies in the street
 * the address named (or none was named); else the street; else a community, a road, the district.
 */
function placeOf(members: Hit[]): GazetteerEntry {
  const of = (level: PlaceLevel): GazetteerEntry | undefined =>
    members.find((m) => m.entry.level === level)?.entry;
  const street = of('street');
  const community = of('community');
  return (
    of('grid') ??
    of('landmark') ??
    (community && (!street || community.street === street.name) ? community : undefined) ??
    street ??
    community ??
    of('road') ??
    of('district') ??
    members[0]!.entry
  );
}

// ---------- the demo city's gazetteer ----------

const KM_PER_DEG_LAT = 111.32;
const kmPerDegLng = (lat: number): number => KM_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180);
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/** A point within `km` of a centre, drawn from a name-derived seed (the same on every run). */
function pointNear(seedLabel: string, lng: number, lat: number, km: number): { lng: number; lat: number } {
  const rng = new Rng(hash32(seedLabel));
  const r = km * Math.sqrt(rng.next());
  const a = rng.next() * 2 * Math.PI;
  return {
    lng: round6(lng + (r * Math.cos(a)) / kmPerDegLng(lat)),
    lat: round6(lat + (r * Math.sin(a)) / KM_PER_DEG_LAT),
  };
}

const stemOf = (name: string, suffix: RegExp): string | null => {
  const s = name.replace(suffix, '');
  return s !== name && s.length >= 2 ? s : null;
};

/**
 * Entries of the demo city, generated from core/demo/geo.ts (and the grid, when given, for the
 * districts and streets of landmarks). Deterministic: the same list on every run.
 */
export function demoGazetteerEntries(
  grid?: GridIndex | null,
  landmarks: readonly Landmark[] = HANGZHOU_LANDMARKS,
): GazetteerEntry[] {
  const entries: GazetteerEntry[] = [];
  for (const d of DISTRICTS) {
    const stem = stemOf(d.name, /[区县市]$/);
    entries.push({
      id: `district:${d.name}`,
      name: d.name,
      aliases: stem ? [stem] : [],
      level: 'district',
      lng: d.lng,
      lat: d.lat,
      district: d.name,
      street: null,
    });
    const streets = streetsOf(d);
    for (const s of streets) {
      const sStem = stemOf(s.name, /(街道|镇)$/);
      entries.push({
        id: `street:${d.name}:${s.name}`,
        name: s.name,
        aliases: sStem ? [sStem] : [],
        level: 'street',
        lng: round6(s.lng),
        lat: round6(s.lat),
        district: d.name,
        street: s.name,
      });
    }
    // A community lies in the street named like it (九堡 → 九堡街道), else in a street drawn from its name.
    for (const c of d.communities) {
      const named = streets.find((s) => s.name.startsWith(c));
      const home =
        named ?? streets[new Rng(hash32(`gazetteer/community/${d.code}/${c}`)).int(0, streets.length - 1)]!;
      const p = pointNear(`gazetteer/community-point/${d.code}/${c}`, home.lng, home.lat, 0.9);
      entries.push({
        id: `community:${d.name}:${c}`,
        name: `${c}社区`,
        aliases: c.length >= 2 ? [c] : [],
        level: 'community',
        ...p,
        district: d.name,
        street: home.name,
      });
    }
    // A road is a representative point in one street of its district.
    for (const r of d.roads) {
      const home = streets[new Rng(hash32(`gazetteer/road/${d.code}/${r}`)).int(0, streets.length - 1)]!;
      const p = pointNear(`gazetteer/road-point/${d.code}/${r}`, home.lng, home.lat, 0.9);
      entries.push({
        id: `road:${d.name}:${r}`,
        name: r,
        aliases: [],
        level: 'road',
        ...p,
        district: d.name,
        street: home.name,
      });
    }
  }
  for (const l of landmarks) {
    const where = grid?.locate(l.lng, l.lat);
    let district = where?.district ?? null;
    if (!grid) {
      // Without the map: the nearest district centre (the demo districts are the Voronoi cells of their centres).
      let best = Infinity;
      for (const d of DISTRICTS) {
        const dist = ((d.lng - l.lng) * kmPerDegLng(d.lat)) ** 2 + ((d.lat - l.lat) * KM_PER_DEG_LAT) ** 2;
        if (dist < best) {
          best = dist;
          district = d.name;
        }
      }
    }
    entries.push({
      id: `landmark:${l.name}`,
      name: l.name,
      aliases: l.aliases,
      level: 'landmark',
      lng: l.lng,
      lat: l.lat,
      district,
      street: where?.street ?? null,
    });
  }
  return entries;
}

/** The demo city's gazetteer; with the grid, landmarks get their map district and grid ids are recognised. */
export function buildDemoGazetteer(grid?: GridIndex | null): Gazetteer {
  return new Gazetteer(demoGazetteerEntries(grid), { grid: grid ?? null });
}
