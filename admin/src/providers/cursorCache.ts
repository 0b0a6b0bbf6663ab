/**
 * Keyset cursors by row offset, per list (resource + filter + sort). react-admin numbers its
 * pages; the API continues after a cursor. Every fetched page records the cursor after each of
 * its rows, so page N+1 starts from page N's endCursor and a change of page size still finds
 * its offsets. Offsets shift when rows are added or removed: a resource's lists are forgotten
 * after any write to it.
 */
export class CursorCache {
  private readonly lists = new Map<string, Map<number, string>>();

  constructor(private readonly maxLists = 50) {}

  static key(resource: string, filter: unknown, sort: unknown): string {
    return `${resource}\u0000${stableStringify(filter)}\u0000${stableStringify(sort)}`;
  }

  /** The cursor to pass as `after` to start at `offset` (null: from the start). */
  cursorAt(key: string, offset: number): string | null | undefined {
    if (offset === 0) return null;
    return this.lists.get(key)?.get(offset);
  }

  /** The largest known offset ≤ `offset` and its cursor: where a walk forward starts. */
  nearest(key: string, offset: number): { offset: number; cursor: string | null } {
    let best: { offset: number; cursor: string | null } = { offset: 0, cursor: null };
    for (const [known, cursor] of this.lists.get(key) ?? []) {
      if (known <= offset && known > best.offset) best = { offset: known, cursor };
    }
    return best;
  }

  /** Records `cursors[i]` as the cursor after row `offset + i`. */
  record(key: string, offset: number, cursors: (string | null | undefined)[]): void {
    let list = this.lists.get(key);
    if (!list) {
      if (this.lists.size >= this.maxLists) this.lists.delete(this.lists.keys().next().value!);
      list = new Map();
      this.lists.set(key, list);
    }
    cursors.forEach((cursor, index) => {
      if (cursor) list.set(offset + index + 1, cursor);
    });
  }

  forgetResource(resource: string): void {
    for (const key of [...this.lists.keys()]) {
      if (key.startsWith(`${resource}\u0000`)) this.lists.delete(key);
    }
  }

  clear(): void {
    this.lists.clear();
  }
}

function stableStringify(value: unknown): string {
  if (value === undefined) return '';
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
