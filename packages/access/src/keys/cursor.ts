/** A page position: the (createdAt, id) of the last key listed, opaque to callers. */
export interface KeyCursor {
  createdAt: number;
  id: string;
}

export function encodeCursor(c: KeyCursor): string {
  return Buffer.from(`${c.createdAt}:${c.id}`).toString('base64url');
}

/** The cursor's position; throws a TypeError for a cursor this module did not make. */
export function decodeCursor(cursor: string): KeyCursor {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^(\d{1,16}):([0-9a-f]{16})$/.exec(text);
  if (!match) throw new TypeError('invalid cursor');
  return { createdAt: Number(match[1]), id: match[2] as string };
}

/** The page size asked for, within 1..500 (default 100). */
export function pageSize(limit: number | undefined): number {
  if (limit === undefined) return 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new TypeError('limit must be an integer in 1..500');
  }
  return limit;
}

/** True when a key at (createdAt, id) comes after the cursor, newest first. */
export function after(record: KeyCursor, cursor: KeyCursor | undefined): boolean {
  if (!cursor) return true;
  return (
    record.createdAt < cursor.createdAt ||
    (record.createdAt === cursor.createdAt && record.id < cursor.id)
  );
}
