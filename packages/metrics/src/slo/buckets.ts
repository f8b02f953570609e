/**
 * Good and bad request counts in fixed time buckets over a rolling window, in two typed
 * arrays sized once (window / bucket): memory is bounded whatever the traffic. A slot is
 * reused when its bucket falls out of the window.
 */
export class BucketRing {
  private readonly ids: Float64Array;
  private readonly good: Float64Array;
  private readonly bad: Float64Array;

  constructor(
    readonly bucketMs: number,
    readonly size: number,
  ) {
    this.ids = new Float64Array(size).fill(-1);
    this.good = new Float64Array(size);
    this.bad = new Float64Array(size);
  }

  add(at: number, ok: boolean, newest: number): void {
    const id = Math.floor(at / this.bucketMs);
    const latest = Math.floor(newest / this.bucketMs);
    if (id > latest || id <= latest - this.size) return; // outside the window
    const slot = id % this.size;
    if (this.ids[slot] !== id) {
      if ((this.ids[slot] as number) > id) return; // a newer bucket owns the slot
      this.ids[slot] = id;
      this.good[slot] = 0;
      this.bad[slot] = 0;
    }
    if (ok) (this.good[slot] as number)++;
    else (this.bad[slot] as number)++;
  }

  /** Good and bad counts of the `buckets` newest buckets up to `now` (the current one included). */
  sum(now: number, buckets: number): { good: number; bad: number } {
    const latest = Math.floor(now / this.bucketMs);
    const n = Math.min(buckets, this.size);
    let good = 0;
    let bad = 0;
    for (let id = latest - n + 1; id <= latest; id++) {
      const slot = id % this.size;
      if (this.ids[slot] !== id) continue;
      good += this.good[slot] as number;
      bad += this.bad[slot] as number;
    }
    return { good, bad };
  }
}
