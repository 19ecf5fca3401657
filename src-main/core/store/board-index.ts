import {
  UNASSIGNED,
  type Assignee,
  type ImpactDomain,
  type Priority,
  type TicketFacetsResult,
  type TicketFilter,
  type TicketSort,
  type TicketSource,
  type TicketStatsResult,
} from '@shared/contract';

/**
 * The board's filter/sort/count engine: one typed-array column per filterable field, indexed by
 * ticket sequence number. A full pass over a million tickets takes a few milliseconds in JS, while
 * SQLite in wasm needs hundreds of milliseconds to count or sort arbitrary filter combinations (see
 * docs/architecture.md). It is derived state, saved beside the sql.js image in snapshots.
 */

export const PRIORITIES: readonly Priority[] = ['P1', 'P2', 'P3', 'P4'];
const SOURCES: readonly TicketSource[] = ['manual', 'mqtt', 'rest', 'hotline', 'predictive'];
const DOMAIN_BIT: Record<ImpactDomain, number> = { production: 1, quality: 2, 'after-sales': 4, rnd: 8 };
export const ALL_DOMAINS = Object.keys(DOMAIN_BIT) as ImpactDomain[];

export function domainMask(domains: readonly ImpactDomain[]): number {
  return domains.reduce((m, d) => m | DOMAIN_BIT[d], 0);
}

export function domainsOf(mask: number): ImpactDomain[] {
  return ALL_DOMAINS.filter((d) => (mask & DOMAIN_BIT[d]) !== 0);
}

/** Interns strings to small integer codes; code 0 is reserved for "none". */
class Dictionary {
  readonly values: string[] = [''];
  private readonly codes = new Map<string, number>();

  constructor(values: readonly string[] = []) {
    for (const v of values) this.code(v);
  }

  code(value: string): number {
    let c = this.codes.get(value);
    if (c === undefined) {
      c = this.values.length;
      this.values.push(value);
      this.codes.set(value, c);
    }
    return c;
  }

  find(value: string): number | undefined {
    return this.codes.get(value);
  }
}

export interface BoardRow {
  typeId: string;
  status: string;
  open: boolean;
  priority: Priority;
  assignee: Assignee | null;
  source: TicketSource;
  domains: ImpactDomain[];
  createdAt: number;
  updatedAt: number;
  /** Resolve due time, NaN when none. */
  dueAt: number;
  /** NaN while unresolved. */
  resolvedAt: number;
}

export interface BoardQuery {
  filter: TicketFilter;
  sort: TicketSort;
  offset: number;
  limit: number;
  /** Sequence numbers a text or business-key search allowed; null = no such restriction. */
  candidates: Uint8Array | null;
  /** Status order for sorting by status (workflow order, not alphabetical). */
  statusRank: (status: string) => number;
}

/** Pages ending deeper than this are selected in place instead of through a heap. */
const HEAP_LIMIT = 4_096;

/**
 * Rearranges a[lo, hi) so that a[n] holds the element a full sort would put there, with nothing
 * after it before it and nothing before it after it (quickselect, median-of-three pivots).
 */
export function selectNth(
  a: Int32Array,
  lo: number,
  hi: number,
  n: number,
  before: (x: number, y: number) => number,
): void {
  let left = lo;
  let right = hi - 1;
  while (right - left > 16) {
    const mid = (left + right) >>> 1;
    const x = a[left]!;
    const y = a[mid]!;
    const z = a[right]!;
    const pivot =
      before(x, y) < 0
        ? before(y, z) < 0
          ? y
          : before(x, z) < 0
            ? z
            : x
        : before(x, z) < 0
          ? x
          : before(y, z) < 0
            ? z
            : y;
    let i = left;
    let j = right;
    while (i <= j) {
      while (before(a[i]!, pivot) < 0) i++;
      while (before(a[j]!, pivot) > 0) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (n <= j) right = j;
    else if (n >= i) left = i;
    else return;
  }
  // Small range: insertion sort settles it.
  for (let i = left + 1; i <= right; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= left && before(a[j]!, v) > 0) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}

const SNAPSHOT_MAGIC = 0x57464249; // "WFBI"
const SNAPSHOT_VERSION = 1;

export class BoardIndex {
  private capacity: number;
  /** Highest sequence number in use; rows are 1..size. */
  size = 0;
  private type: Uint16Array;
  private status: Uint16Array;
  private open: Uint8Array;
  private priority: Uint8Array;
  private assignee: Uint16Array;
  private source: Uint8Array;
  private domains: Uint8Array;
  private createdAt: Float64Array;
  private updatedAt: Float64Array;
  private dueAt: Float64Array;
  private resolvedAt: Float64Array;
  /** Generation of the ticket's full-text entry (0 = its first); older entries in the contentless index are stale. */
  private textGen: Uint32Array;
  private types = new Dictionary();
  private statuses = new Dictionary();
  private assignees = new Dictionary();

  constructor(capacity = 1024) {
    this.capacity = capacity;
    this.type = new Uint16Array(capacity);
    this.status = new Uint16Array(capacity);
    this.open = new Uint8Array(capacity);
    this.priority = new Uint8Array(capacity);
    this.assignee = new Uint16Array(capacity);
    this.source = new Uint8Array(capacity);
    this.domains = new Uint8Array(capacity);
    this.createdAt = new Float64Array(capacity);
    this.updatedAt = new Float64Array(capacity);
    this.dueAt = new Float64Array(capacity);
    this.resolvedAt = new Float64Array(capacity);
    this.textGen = new Uint32Array(capacity);
  }

  private grow(min: number): void {
    let cap = this.capacity;
    while (cap <= min) cap *= 2;
    const copy = <A extends { length: number; set(a: ArrayLike<number>): void }>(
      a: A,
      Ctor: new (n: number) => A,
    ): A => {
      const b = new Ctor(cap);
      b.set(a);
      return b;
    };
    this.type = copy(this.type, Uint16Array);
    this.status = copy(this.status, Uint16Array);
    this.open = copy(this.open, Uint8Array);
    this.priority = copy(this.priority, Uint8Array);
    this.assignee = copy(this.assignee, Uint16Array);
    this.source = copy(this.source, Uint8Array);
    this.domains = copy(this.domains, Uint8Array);
    this.createdAt = copy(this.createdAt, Float64Array);
    this.updatedAt = copy(this.updatedAt, Float64Array);
    this.dueAt = copy(this.dueAt, Float64Array);
    this.resolvedAt = copy(this.resolvedAt, Float64Array);
    this.textGen = copy(this.textGen, Uint32Array);
    this.capacity = cap;
  }

  static assigneeKey(a: Assignee): string {
    return `${a.kind}:${a.id}`;
  }

  set(seq: number, row: BoardRow): void {
    if (seq >= this.capacity) this.grow(seq);
    if (seq > this.size) this.size = seq;
    this.type[seq] = this.types.code(row.typeId);
    this.status[seq] = this.statuses.code(row.status);
    this.open[seq] = row.open ? 1 : 0;
    this.priority[seq] = PRIORITIES.indexOf(row.priority) + 1;
    this.assignee[seq] = row.assignee ? this.assignees.code(BoardIndex.assigneeKey(row.assignee)) : 0;
    this.source[seq] = SOURCES.indexOf(row.source) + 1;
    this.domains[seq] = domainMask(row.domains);
    this.createdAt[seq] = row.createdAt;
    this.updatedAt[seq] = row.updatedAt;
    this.dueAt[seq] = row.dueAt;
    this.resolvedAt[seq] = row.resolvedAt;
  }

  get(seq: number): BoardRow {
    const a = this.assignee[seq]!;
    const [kind, ...id] = a ? this.assignees.values[a]!.split(':') : [];
    return {
      typeId: this.types.values[this.type[seq]!]!,
      status: this.statuses.values[this.status[seq]!]!,
      open: this.open[seq] === 1,
      priority: PRIORITIES[this.priority[seq]! - 1]!,
      assignee: a ? ({ kind: kind as Assignee['kind'], id: id.join(':') } as Assignee) : null,
      source: SOURCES[this.source[seq]! - 1]!,
      domains: domainsOf(this.domains[seq]!),
      createdAt: this.createdAt[seq]!,
      updatedAt: this.updatedAt[seq]!,
      dueAt: this.dueAt[seq]!,
      resolvedAt: this.resolvedAt[seq]!,
    };
  }

  /** Starts a new full-text generation for a ticket whose text changed, and returns it. */
  nextTextGeneration(seq: number): number {
    const gen = this.textGen[seq]! + 1;
    this.textGen[seq] = gen;
    return gen;
  }

  textGeneration(seq: number): number {
    return this.textGen[seq]!;
  }

  /** Re-derives `open` for every ticket in a status whose category changed. */
  setOpenForStatus(status: string, open: boolean): void {
    const code = this.statuses.find(status);
    if (code === undefined) return;
    for (let s = 1; s <= this.size; s++) if (this.status[s] === code) this.open[s] = open ? 1 : 0;
  }

  /** A lookup table: allowed[code] = 1 for the codes of `values`; null when the filter is absent. */
  private allowed(dict: Dictionary, values: readonly string[] | undefined): Uint8Array | null {
    if (!values || values.length === 0) return null;
    const table = new Uint8Array(dict.values.length + 1);
    for (const v of values) {
      const c = dict.find(v);
      if (c !== undefined) table[c] = 1;
    }
    return table;
  }

  /** Returns a predicate over sequence numbers for a filter, with all look-ups resolved up front. */
  private matcher(filter: TicketFilter, now: number, candidates: Uint8Array | null): (s: number) => boolean {
    const types = this.allowed(this.types, filter.typeId);
    const statuses = this.allowed(this.statuses, filter.status);
    const prio = filter.priority?.length ? new Uint8Array(6) : null;
    filter.priority?.forEach((p) => (prio![PRIORITIES.indexOf(p) + 1] = 1));
    const src = filter.source?.length ? new Uint8Array(8) : null;
    filter.source?.forEach((p) => (src![SOURCES.indexOf(p) + 1] = 1));
    let assignees: Uint8Array | null = null;
    if (filter.assigneeId?.length) {
      assignees = new Uint8Array(this.assignees.values.length + 1);
      const ids = new Set(filter.assigneeId);
      if (ids.has(UNASSIGNED)) assignees[0] = 1;
      this.assignees.values.forEach((key, code) => {
        if (code > 0 && ids.has(key.slice(key.indexOf(':') + 1))) assignees![code] = 1;
      });
    }
    const dom = filter.domain?.length ? domainMask(filter.domain) : 0;
    const open = filter.open === undefined ? -1 : filter.open ? 1 : 0;
    const breached = filter.slaBreached === undefined ? -1 : filter.slaBreached ? 1 : 0;
    const createdFrom = filter.createdFrom === undefined ? -Infinity : Date.parse(filter.createdFrom);
    const { type, status, priority, source, assignee, domains, dueAt, createdAt } = this;
    const isOpen = this.open;
    return (s) => {
      if (candidates !== null && candidates[s] !== 1) return false;
      if (types !== null && types[type[s]!] !== 1) return false;
      if (statuses !== null && statuses[status[s]!] !== 1) return false;
      if (prio !== null && prio[priority[s]!] !== 1) return false;
      if (src !== null && src[source[s]!] !== 1) return false;
      if (assignees !== null && assignees[assignee[s]!] !== 1) return false;
      if (dom !== 0 && (domains[s]! & dom) === 0) return false;
      if (open !== -1 && isOpen[s] !== open) return false;
      if (createdAt[s]! < createdFrom) return false;
      if (breached !== -1) {
        const b = isOpen[s] === 1 && dueAt[s]! < now ? 1 : 0;
        if (b !== breached) return false;
      }
      return true;
    };
  }

  /**
   * "a before b" for a sort. Every order ends with the sequence number, so pages are stable
   * while tickets share a key.
   */
  private comparator(
    sort: TicketSort,
    statusRank: (status: string) => number,
  ): (a: number, b: number) => number {
    const dir = sort.dir === 'asc' ? 1 : -1;
    const { updatedAt, createdAt, priority, dueAt, status } = this;
    switch (sort.field) {
      case 'updatedAt':
        return (a, b) => dir * (updatedAt[a]! - updatedAt[b]! || a - b);
      case 'createdAt':
        return (a, b) => dir * (createdAt[a]! - createdAt[b]! || a - b);
      case 'number':
        return (a, b) => dir * (a - b);
      case 'priority':
        return (a, b) => dir * (priority[a]! - priority[b]!) || updatedAt[b]! - updatedAt[a]! || b - a;
      case 'resolveDueAt':
        return (a, b) => {
          const x = dueAt[a]!;
          const y = dueAt[b]!;
          // Tickets without a due time go last in both directions.
          if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? a - b : 1) : -1;
          return dir * (x - y || a - b);
        };
      case 'status': {
        const ranks = this.statuses.values.map((v) => statusRank(v));
        return (a, b) =>
          dir * (ranks[status[a]!]! - ranks[status[b]!]!) || updatedAt[b]! - updatedAt[a]! || b - a;
      }
    }
  }

  query(q: BoardQuery, now: number): { total: number; seqs: number[] } {
    const match = this.matcher(q.filter, now, q.candidates);
    const before = this.comparator(q.sort, q.statusRank);
    const k = q.offset + q.limit;
    if (k > HEAP_LIMIT) return this.deepQuery(match, before, q.offset, k);
    // The best k matches in a max-heap (the worst of them on top). Tickets arrive roughly in time
    // order, so scanning in the sort's direction makes most later rows lose to the top at once.
    const heap: number[] = [];
    let total = 0;
    const siftUp = (i: number): void => {
      const x = heap[i]!;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (before(heap[p]!, x) >= 0) break;
        heap[i] = heap[p]!;
        i = p;
      }
      heap[i] = x;
    };
    const siftDown = (): void => {
      const x = heap[0]!;
      const n = heap.length;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && before(heap[r]!, heap[l]!) > 0 ? r : l;
        if (before(heap[c]!, x) <= 0) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = x;
    };
    const visit = (s: number): void => {
      if (this.type[s] === 0 || !match(s)) return;
      total++;
      if (heap.length < k) {
        heap.push(s);
        siftUp(heap.length - 1);
      } else if (before(s, heap[0]!) < 0) {
        heap[0] = s;
        siftDown();
      }
    };
    // Priority and status break ties by newest update first, so newest-first scanning suits them too.
    const newestFirst = q.sort.dir === 'desc' || q.sort.field === 'priority' || q.sort.field === 'status';
    if (newestFirst) for (let s = this.size; s >= 1; s--) visit(s);
    else for (let s = 1; s <= this.size; s++) visit(s);
    heap.sort(before);
    return { total, seqs: heap.slice(q.offset, k) };
  }

  /**
   * A page far down the list: a heap of offset + limit rows would cost O(n log k) and, at a million
   * tickets, half a second. Selecting the page's boundaries in place is O(n) whatever the offset.
   */
  private deepQuery(
    match: (s: number) => boolean,
    before: (a: number, b: number) => number,
    offset: number,
    k: number,
  ): { total: number; seqs: number[] } {
    const all = new Int32Array(this.size);
    let total = 0;
    for (let s = 1; s <= this.size; s++) if (this.type[s] !== 0 && match(s)) all[total++] = s;
    if (offset >= total) return { total, seqs: [] };
    const end = Math.min(k, total);
    selectNth(all, 0, total, end - 1, before);
    selectNth(all, 0, end, offset, before);
    return { total, seqs: Array.from(all.subarray(offset, end).sort(before)) };
  }

  facets(filter: TicketFilter, now: number, candidates: Uint8Array | null): TicketFacetsResult {
    const match = this.matcher(filter, now, candidates);
    const byStatusCode = new Uint32Array(this.statuses.values.length + 1);
    const byPriority = new Uint32Array(6);
    let total = 0;
    for (let s = 1; s <= this.size; s++) {
      if (this.type[s] === 0 || !match(s)) continue;
      total++;
      byStatusCode[this.status[s]!]!++;
      byPriority[this.priority[s]!]!++;
    }
    const byStatus: Record<string, number> = {};
    byStatusCode.forEach((n, code) => {
      if (n > 0) byStatus[this.statuses.values[code]!] = n;
    });
    return {
      total,
      byStatus,
      byPriority: { P1: byPriority[1]!, P2: byPriority[2]!, P3: byPriority[3]!, P4: byPriority[4]! },
    };
  }

  stats(now: number, dayStart: number): Omit<TicketStatsResult, 'asOf'> {
    const openByPriority = new Uint32Array(6);
    let open = 0;
    let breached = 0;
    let dueWithinHour = 0;
    let createdToday = 0;
    let resolvedToday = 0;
    const hour = now + 3_600_000;
    for (let s = 1; s <= this.size; s++) {
      if (this.type[s] === 0) continue;
      if (this.createdAt[s]! >= dayStart) createdToday++;
      if (this.resolvedAt[s]! >= dayStart) resolvedToday++;
      if (this.open[s] !== 1) continue;
      open++;
      openByPriority[this.priority[s]!]!++;
      const due = this.dueAt[s]!;
      if (due < now) breached++;
      else if (due < hour) dueWithinHour++;
    }
    return {
      open,
      openByPriority: {
        P1: openByPriority[1]!,
        P2: openByPriority[2]!,
        P3: openByPriority[3]!,
        P4: openByPriority[4]!,
      },
      breached,
      dueWithinHour,
      createdToday,
      resolvedToday,
    };
  }

  /** Binary image: a 16-byte header, the dictionaries as JSON, then each column's bytes for rows 0..size. */
  serialize(): Buffer {
    const n = this.size + 1;
    const dicts = Buffer.from(
      JSON.stringify({
        types: this.types.values,
        statuses: this.statuses.values,
        assignees: this.assignees.values,
      }),
    );
    const columns = [
      this.type.subarray(0, n),
      this.status.subarray(0, n),
      this.open.subarray(0, n),
      this.priority.subarray(0, n),
      this.assignee.subarray(0, n),
      this.source.subarray(0, n),
      this.domains.subarray(0, n),
      this.createdAt.subarray(0, n),
      this.updatedAt.subarray(0, n),
      this.dueAt.subarray(0, n),
      this.resolvedAt.subarray(0, n),
      this.textGen.subarray(0, n),
    ];
    const header = Buffer.alloc(16);
    header.writeUInt32LE(SNAPSHOT_MAGIC, 0);
    header.writeUInt32LE(SNAPSHOT_VERSION, 4);
    header.writeUInt32LE(this.size, 8);
    header.writeUInt32LE(dicts.length, 12);
    const parts = [header, dicts, ...columns.map((c) => Buffer.from(c.buffer, c.byteOffset, c.byteLength))];
    return Buffer.concat(parts);
  }

  static deserialize(image: Uint8Array): BoardIndex {
    const buf = Buffer.from(image.buffer, image.byteOffset, image.byteLength);
    if (buf.readUInt32LE(0) !== SNAPSHOT_MAGIC || buf.readUInt32LE(4) !== SNAPSHOT_VERSION) {
      throw new Error('board index image has an unknown format');
    }
    const size = buf.readUInt32LE(8);
    const dictLength = buf.readUInt32LE(12);
    const dicts = JSON.parse(buf.subarray(16, 16 + dictLength).toString('utf8')) as {
      types: string[];
      statuses: string[];
      assignees: string[];
    };
    const index = new BoardIndex(Math.max(1024, size + 1));
    index.size = size;
    index.types = new Dictionary(dicts.types.slice(1));
    index.statuses = new Dictionary(dicts.statuses.slice(1));
    index.assignees = new Dictionary(dicts.assignees.slice(1));
    const n = size + 1;
    let at = 16 + dictLength;
    // Copied byte-wise into fresh columns, so the image needs no alignment.
    const read = (target: Uint8Array | Uint16Array | Uint32Array | Float64Array): void => {
      const bytes = n * target.BYTES_PER_ELEMENT;
      new Uint8Array(target.buffer, target.byteOffset, bytes).set(buf.subarray(at, at + bytes));
      at += bytes;
    };
    read(index.type);
    read(index.status);
    read(index.open);
    read(index.priority);
    read(index.assignee);
    read(index.source);
    read(index.domains);
    read(index.createdAt);
    read(index.updatedAt);
    read(index.dueAt);
    read(index.resolvedAt);
    read(index.textGen);
    if (at !== buf.length)
      throw new Error(`board index image has ${buf.length - at} unexpected trailing bytes`);
    return index;
  }
}
