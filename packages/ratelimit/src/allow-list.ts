import { type CidrSet, compileCidrs, parseIp } from '@platform/core';
import type { LimitInput } from './keys.js';

/** The allow list as options give it. */
export interface AllowListOptions {
  ips: readonly string[];
  users: readonly string[];
  tenants: readonly string[];
}

/** Clients never limited: by IP or CIDR, actor id, or tenant id. */
export class AllowList {
  readonly #ips: CidrSet | undefined;
  readonly #users: ReadonlySet<string>;
  readonly #tenants: ReadonlySet<string>;

  /** Undefined for empty lists (the usual case), so a request checks nothing at all. */
  static compile(options: AllowListOptions): AllowList | undefined {
    const empty =
      options.ips.length === 0 && options.users.length === 0 && options.tenants.length === 0;
    return empty ? undefined : new AllowList(options);
  }

  private constructor(options: AllowListOptions) {
    this.#ips = options.ips.length > 0 ? compileCidrs(options.ips) : undefined;
    this.#users = new Set(options.users);
    this.#tenants = new Set(options.tenants);
  }

  /** Whether the request's client is on the list; no address is parsed without IP entries. */
  matches(input: LimitInput): boolean {
    const ctx = input.context;
    if (this.#ips) {
      const ip = parseIp(ctx?.ip ?? input.exchange?.remoteAddress);
      if (ip && this.#ips.matches(ip)) return true;
    }
    if (this.#users.size > 0 && ctx?.actor && this.#users.has(ctx.actor.id)) return true;
    return this.#tenants.size > 0 && ctx?.tenantId !== undefined && this.#tenants.has(ctx.tenantId);
  }
}
