import { Injectable } from '@nestjs/common';
import { PublishedListsCache } from './published-lists.cache';
import { StatsRepository } from './stats.repository';

/**
 * The `/stats` body, computed once per publication: every figure derives
 * from published runs, which change only when the cache reports a
 * publication, so between two publications a request runs no query.
 * The body is kept as UTF-8 bytes: it lists every advertiser's agreement
 * (about 70 bytes each), and a string would be measured and encoded again
 * on every request.
 */
@Injectable()
export class StatsService {
  private cached?: Promise<Buffer>;

  constructor(
    private readonly repository: StatsRepository,
    cache: PublishedListsCache,
  ) {
    cache.onChange(() => {
      this.cached = undefined;
    });
  }

  /** The serialized body. Concurrent first requests share one computation. */
  body(): Promise<Buffer> {
    if (this.cached) return this.cached;
    const computing = this.repository.summary().then((stats) => Buffer.from(JSON.stringify(stats)));
    this.cached = computing;
    // A failure must not stick: the next request tries again. The identity
    // check keeps a stale failure from dropping a newer computation.
    computing.catch(() => {
      if (this.cached === computing) this.cached = undefined;
    });
    return computing;
  }
}
