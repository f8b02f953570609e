import { evaluate } from './postgres-evaluate.js';

/**
 * The PostgreSQL store's schema, version 1: one UNLOGGED table of per-key state and the
 * PL/pgSQL functions that make each request one statement. `s` is the quoted schema.
 *
 * The functions mirror `algorithms.ts` line by line in float8, the same IEEE doubles as
 * JavaScript, so they answer exactly what the memory store answers at the same instant.
 * Every step takes a transaction-scoped advisory lock per key (in hash order, so steps over
 * several keys never deadlock), then reads the clock: a step that waited for a key sees a
 * clock no earlier than the one before it, and, under READ COMMITTED, its state.
 * State per key is `State` of algorithms.ts: blocked_until, a, b, c, expires_at (epoch ms).
 *
 * Once released, this text never changes: a later fix is version 2 (CREATE OR REPLACE).
 */
export function schemaV1(s: string): string[] {
  return [
    `CREATE UNLOGGED TABLE ${s}.ratelimit_state (
      key text COLLATE "C" PRIMARY KEY,
      alg text NOT NULL,
      blocked_until float8 NOT NULL,
      a float8 NOT NULL,
      b float8 NOT NULL,
      c float8 NOT NULL,
      expires_at float8 NOT NULL
    ) WITH (fillfactor = 80)`,
    `CREATE TYPE ${s}.ratelimit_step AS (
      allowed boolean, remaining float8, reset float8, retry float8,
      a float8, b float8, c float8, expires float8, dirty boolean, held boolean)`,
    lockAndClock(s),
    evaluate(s),
    save(s),
    consume(s),
    refund(s),
    reset(s),
    sweep(s),
  ];
}

// Seeds of the advisory lock ids: per key, and the one sweep at a time.
const KEY_SEED = 7_240_117;
const SWEEP_SEED = 7_240_118;

function lockAndClock(s: string): string {
  return `CREATE FUNCTION ${s}.ratelimit_begin(p_keys text[], p_at float8) RETURNS float8
  LANGUAGE plpgsql AS $fn$
  DECLARE h bigint;
  BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
      RAISE EXCEPTION 'the rate-limit store needs READ COMMITTED (this session runs %)',
        current_setting('transaction_isolation') USING ERRCODE = '0A000';
    END IF;
    IF cardinality(p_keys) = 1 THEN
      PERFORM pg_advisory_xact_lock(hashtextextended(p_keys[1], ${KEY_SEED}));
    ELSE
      FOR h IN SELECT DISTINCT hashtextextended(k, ${KEY_SEED}) FROM unnest(p_keys) k ORDER BY 1 LOOP
        PERFORM pg_advisory_xact_lock(h);
      END LOOP;
    END IF;
    RETURN coalesce(p_at, floor(extract(epoch FROM clock_timestamp()) * 1000)::float8);
  END $fn$`;
}

/**
 * Writes a state, or deletes it when it carries nothing any more. `p_found`: the step read a
 * row for the key (an UPDATE is cheaper than an upsert; the sweep may have deleted it since).
 */
function save(s: string): string {
  return `CREATE FUNCTION ${s}.ratelimit_save(p_found boolean, p_key text, p_alg text,
    p_blocked float8, p_a float8, p_b float8, p_c float8, p_expires float8, p_now float8)
  RETURNS void LANGUAGE plpgsql AS $fn$
  DECLARE expires CONSTANT float8 := greatest(p_expires, p_blocked);
  BEGIN
    IF expires <= p_now THEN
      IF p_found THEN DELETE FROM ${s}.ratelimit_state WHERE key = p_key; END IF;
      RETURN;
    END IF;
    IF p_found THEN
      UPDATE ${s}.ratelimit_state SET alg = p_alg, blocked_until = p_blocked, a = p_a, b = p_b,
        c = p_c, expires_at = expires WHERE key = p_key;
      IF FOUND THEN RETURN; END IF;
    END IF;
    INSERT INTO ${s}.ratelimit_state (key, alg, blocked_until, a, b, c, expires_at)
    VALUES (p_key, p_alg, p_blocked, p_a, p_b, p_c, expires)
    ON CONFLICT (key) DO UPDATE SET alg = excluded.alg, blocked_until = excluded.blocked_until,
      a = excluded.a, b = excluded.b, c = excluded.c, expires_at = excluded.expires_at;
  END $fn$`;
}

/**
 * Every check at one instant; then, when all allow, every write, else the blocks of the
 * refusing ones. Answers {now, then allowed (1/0), remaining, resetMs, retryAfterMs per check}.
 */
function consume(s: string): string {
  return `CREATE FUNCTION ${s}.ratelimit_consume(p_keys text[], p_algs text[], p_limits float8[],
    p_windows float8[], p_bursts float8[], p_costs float8[], p_blocks float8[], p_at float8 DEFAULT NULL)
  RETURNS float8[] LANGUAGE plpgsql AS $fn$
  DECLARE
    n CONSTANT int := cardinality(p_keys);
    now float8 := ${s}.ratelimit_begin(p_keys, p_at);
    cur ${s}.ratelimit_state;
    steps ${s}.ratelimit_step[] := '{}';
    found_rows boolean[] := '{}';
    r ${s}.ratelimit_step;
    all_allowed boolean := true;
    blocked_until float8;
    answer float8[] := ARRAY[now];
  BEGIN
    FOR i IN 1..n LOOP
      SELECT * INTO cur FROM ${s}.ratelimit_state WHERE key = p_keys[i];
      found_rows[i] := FOUND;
      r := ${s}.ratelimit_evaluate(FOUND AND cur.alg = p_algs[i] AND cur.expires_at > now,
        cur.blocked_until, cur.a, cur.b, cur.c,
        p_algs[i], p_limits[i], p_windows[i], p_bursts[i], p_costs[i], now);
      steps[i] := r;
      all_allowed := all_allowed AND r.allowed;
    END LOOP;
    FOR i IN 1..n LOOP
      r := steps[i];
      IF all_allowed THEN
        IF r.dirty THEN
          PERFORM ${s}.ratelimit_save(found_rows[i], p_keys[i], p_algs[i], 0, r.a, r.b, r.c, r.expires, now);
        END IF;
      ELSIF NOT r.allowed AND NOT r.held AND p_blocks[i] > 0 THEN
        blocked_until := now + p_blocks[i];
        PERFORM ${s}.ratelimit_save(found_rows[i], p_keys[i], p_algs[i], blocked_until, r.a, r.b, r.c,
          greatest(r.expires, blocked_until), now);
        r.reset := greatest(r.reset, p_blocks[i]);
        r.retry := greatest(r.retry, p_blocks[i]);
      END IF;
      answer := answer || ARRAY[CASE WHEN r.allowed THEN 1 ELSE 0 END, r.remaining, r.reset, r.retry]::float8[];
    END LOOP;
    RETURN answer;
  END $fn$`;
}

/** Gives `cost` back to each live key of the same algorithm; answers the clock. */
function refund(s: string): string {
  return `CREATE FUNCTION ${s}.ratelimit_refund(p_keys text[], p_algs text[], p_limits float8[],
    p_windows float8[], p_costs float8[], p_at float8 DEFAULT NULL)
  RETURNS float8 LANGUAGE plpgsql AS $fn$
  DECLARE
    now float8 := ${s}.ratelimit_begin(p_keys, p_at);
    cur ${s}.ratelimit_state;
    win float8; spend float8; k float8; curr float8; prev float8; from_current float8;
  BEGIN
    FOR i IN 1..cardinality(p_keys) LOOP
      SELECT * INTO cur FROM ${s}.ratelimit_state WHERE key = p_keys[i];
      CONTINUE WHEN NOT FOUND OR cur.alg <> p_algs[i] OR cur.expires_at <= now;
      win := p_windows[i];
      spend := p_costs[i];
      IF cur.alg = 'fixed' THEN
        IF now < cur.a + win THEN cur.b := greatest(0, cur.b - spend); END IF;
      ELSIF cur.alg = 'sliding' THEN
        curr := cur.b; prev := cur.c;
        IF now >= cur.a + win THEN
          k := floor((now - cur.a) / win);
          prev := CASE WHEN k = 1 THEN curr ELSE 0 END;
          curr := 0;
          cur.a := cur.a + k * win;
        END IF;
        from_current := least(curr, spend);
        cur.b := curr - from_current;
        cur.c := greatest(0, prev - (spend - from_current));
        cur.expires_at := cur.a + 2 * win;
      ELSIF p_limits[i] > 0 THEN
        cur.a := greatest(now, cur.a - (spend * win) / p_limits[i]);
        cur.expires_at := cur.a;
      END IF;
      PERFORM ${s}.ratelimit_save(true, cur.key, cur.alg, cur.blocked_until, cur.a, cur.b, cur.c,
        cur.expires_at, now);
    END LOOP;
    RETURN now;
  END $fn$`;
}

function reset(s: string): string {
  return `CREATE FUNCTION ${s}.ratelimit_reset(p_keys text[]) RETURNS void
  LANGUAGE plpgsql AS $fn$
  BEGIN
    PERFORM ${s}.ratelimit_begin(p_keys, NULL);
    DELETE FROM ${s}.ratelimit_state WHERE key = ANY (p_keys);
  END $fn$`;
}

/**
 * Deletes up to `p_batch` expired states; one sweep at a time (others answer 0 at once).
 * Rows a step holds are skipped, and a row a step renewed meanwhile is kept (the DELETE
 * checks `expires_at` again on the row's newest version). A sequential scan: an index on
 * expires_at would cost every write its HOT update.
 */
function sweep(s: string): string {
  return `CREATE FUNCTION ${s}.ratelimit_sweep(p_batch int) RETURNS int
  LANGUAGE plpgsql AS $fn$
  DECLARE
    now float8 := floor(extract(epoch FROM clock_timestamp()) * 1000)::float8;
    deleted int;
  BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtextextended('${s}', ${SWEEP_SEED})) THEN
      RETURN 0;
    END IF;
    DELETE FROM ${s}.ratelimit_state WHERE expires_at <= now AND key IN (
      SELECT key FROM ${s}.ratelimit_state WHERE expires_at <= now
      LIMIT p_batch FOR UPDATE SKIP LOCKED);
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
  END $fn$`;
}
