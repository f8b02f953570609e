/**
 * One login: the refresh-token family every rotation continues. `generation` counts the
 * rotations; only the refresh token of the current generation may be used next.
 */
export interface SessionRecord {
  /** 128-bit random id, base64url. */
  id: string;
  userId: string;
  tenantId?: string;
  roles: string[];
  name?: string;
  generation: number;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch milliseconds after which the session (and its refresh token) is dead. */
  expiresAt: number;
}

export type RotateResult =
  | { outcome: 'rotated'; session: SessionRecord }
  /** An older generation came back: the family is revoked. */
  | { outcome: 'reused'; userId: string }
  /** Unknown, revoked or expired session, or a generation never issued. */
  | { outcome: 'invalid' };

/**
 * Where sessions live. Every method is one atomic step on the backend: `rotate` decides
 * "current → next", "old → revoke the family" or "invalid" in one step, so two clients
 * racing with one refresh token cannot both win.
 */
export interface SessionStore {
  create(session: SessionRecord): Promise<void>;
  /** The live session, or undefined when unknown, revoked or expired. */
  get(id: string): Promise<SessionRecord | undefined>;
  /**
   * Moves a live session from `generation` to `generation + 1` with a new expiry; an older
   * generation revokes the session.
   */
  rotate(id: string, generation: number, expiresAt: number): Promise<RotateResult>;
  /** Revokes one session; true when it was live. */
  revoke(id: string): Promise<boolean>;
  /** Revokes every session of a user; answers how many were live. */
  revokeUser(userId: string): Promise<number>;
  /** Deletes expired sessions now; answers how many (stores whose backend expires keys itself omit it). */
  sweep?(): Promise<number>;
  /** Releases timers and listeners (never the host's clients). */
  close?(): Promise<void>;
}
