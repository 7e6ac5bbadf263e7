// The one shape every list answer takes: items (each already presented), the total, and the paging asked for.
import type { Page } from '../contract.ts';

/** A page of presented items; limit and offset appear only for lists the caller can page through. */
export function presentPage<T>(items: T[], total: number, paging?: { limit: number; offset: number }): Page<T> {
  return paging ? { items, total, limit: paging.limit, offset: paging.offset } : { items, total };
}
