/**
 * `ratelimit_evaluate`: one check against a key's stored state, `evaluate()` of
 * algorithms.ts line by line (blocked, limit 0, fixed, sliding, GCRA) in float8, the IEEE
 * doubles JavaScript computes with, so both answer the same to the last millisecond.
 * `st` says whether a state of this algorithm is stored and live; `st_*` are its fields.
 * Answers a `ratelimit_step`: the outcome, the state to keep, `dirty` (it changed) and
 * `held` (refused by a block already running).
 */
export function evaluate(s: string): string {
  return `CREATE FUNCTION ${s}.ratelimit_evaluate(
    st boolean, st_blocked float8, st_a float8, st_b float8, st_c float8,
    alg text, lim float8, win float8, burst float8, spend float8, now float8)
  RETURNS ${s}.ratelimit_step LANGUAGE plpgsql IMMUTABLE AS $fn$
  DECLARE
    eps CONSTANT float8 := 1e-6;
    r ${s}.ratelimit_step;
    start float8; curr float8; prev float8; k float8; elapsed float8; weighted float8;
    cap float8; n float8; iv float8; tol float8; tat float8; nxt float8;
  BEGIN
    r := ROW(false, 0::float8, 0::float8, 0::float8, 0::float8, 0::float8, 0::float8, 0::float8, false, false);
    IF st AND st_blocked > now THEN
      r.held := true; r.reset := st_blocked - now; r.retry := r.reset;
      r.a := st_a; r.b := st_b; r.c := st_c;
      RETURN r;
    END IF;
    IF lim <= 0 THEN
      r.allowed := spend <= 0;
      r.retry := CASE WHEN r.allowed THEN 0 ELSE win END;
      r.a := now; r.expires := now;
      RETURN r;
    END IF;
    IF alg = 'fixed' THEN
      start := now; curr := 0;
      IF st AND now < st_a + win THEN start := st_a; curr := st_b; END IF;
      r.a := start; r.expires := start + win;
      IF curr + spend <= lim THEN
        n := curr + spend;
        r.allowed := true; r.remaining := lim - n; r.b := n; r.dirty := spend > 0;
        r.reset := CASE WHEN n > 0 THEN r.expires - now ELSE 0 END;
      ELSE
        r.remaining := greatest(0, lim - curr); r.b := curr;
        r.reset := r.expires - now; r.retry := r.reset;
      END IF;
      RETURN r;
    END IF;
    IF alg = 'sliding' THEN
      start := now; curr := 0; prev := 0;
      IF st THEN
        start := st_a; curr := st_b; prev := st_c;
        IF now >= start + win THEN
          k := floor((now - start) / win);
          prev := CASE WHEN k = 1 THEN curr ELSE 0 END;
          curr := 0;
          start := start + k * win;
        END IF;
      END IF;
      elapsed := now - start;
      weighted := prev * (win - elapsed);
      cap := lim * win;
      r.a := start; r.c := prev; r.expires := start + 2 * win;
      IF weighted + (curr + spend) * win <= cap THEN
        n := curr + spend;
        r.allowed := true; r.b := n; r.dirty := spend > 0;
        r.remaining := floor((cap - weighted - n * win) / win);
        r.reset := CASE WHEN n > 0 THEN r.expires - now
          WHEN prev > 0 THEN start + win - now ELSE 0 END;
      ELSE
        IF spend > lim THEN r.retry := r.expires - now;
        ELSIF curr + spend <= lim THEN
          r.retry := win - floor(((lim - curr - spend) * win) / prev) - elapsed;
        ELSE
          r.retry := start + win - now + greatest(0, win - floor(((lim - spend) * win) / curr));
        END IF;
        r.b := curr;
        r.remaining := greatest(0, floor((cap - weighted - curr * win) / win));
        r.reset := CASE WHEN curr > 0 THEN r.expires - now ELSE start + win - now END;
      END IF;
      RETURN r;
    END IF;
    iv := win / lim;
    tol := (win * burst) / lim;
    tat := CASE WHEN st THEN greatest(st_a, now) ELSE now END;
    nxt := tat + spend * iv;
    IF nxt - tol <= now + eps THEN
      r.allowed := true; r.a := nxt; r.expires := nxt; r.dirty := spend > 0;
      r.remaining := greatest(0, floor((now + tol - nxt) / iv + eps));
      r.reset := greatest(0, ceil(nxt - now - eps));
    ELSE
      r.a := tat; r.expires := tat;
      r.remaining := greatest(0, floor((now + tol - tat) / iv + eps));
      r.retry := ceil(nxt - tol - now - eps);
      r.reset := greatest(0, ceil(tat - now - eps));
    END IF;
    RETURN r;
  END $fn$`;
}
