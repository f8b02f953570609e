/**
 * A bounded map of unwrapped data keys with a time to live. Expired and evicted keys are
 * zeroed, so a destroyed key does not linger in this process past `ttlMs`.
 */
export class KeyCache<V extends { key: Buffer }> {
  private readonly entries = new Map<string, { value: V; expires: number }>();
  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
  ) {}

  get(id: string): V | undefined {
    const hit = this.entries.get(id);
    if (!hit) return undefined;
    if (hit.expires > Date.now()) return hit.value;
    this.delete(id);
    return undefined;
  }

  set(id: string, value: V): void {
    if (this.ttlMs === 0) return;
    this.delete(id);
    if (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.delete(oldest);
    }
    this.entries.set(id, { value, expires: Date.now() + this.ttlMs });
  }

  /** Drops (and zeroes) every entry `match` accepts. */
  drop(match: (value: V) => boolean): void {
    for (const [id, e] of this.entries) if (match(e.value)) this.delete(id);
  }

  private delete(id: string): void {
    const e = this.entries.get(id);
    if (!e) return;
    this.entries.delete(id);
    e.value.key.fill(0);
  }
}
