/**
 * The search index kept current: built from what `load` returns (the offered
 * procedures, from the catalogue store) on first use, and again after `invalidate()`
 * (call it when the catalogue changes). Concurrent callers share one build; a failed
 * load is reported to the callers waiting for it and retried by the next call.
 */
import { createSearchIndex, type SearchDoc, type SearchIndex, type SearchIndexOptions, type SearchQuery, type SearchResult } from './index.ts';

export interface LiveSearch {
  /** The current index, building it if the catalogue changed since the last build. */
  index(): Promise<SearchIndex>;
  /** `index()` then `search(query)` (throws AppError 400 `invalid_search` on bad input). */
  search(query: SearchQuery): Promise<SearchResult>;
  /** Marks the index stale: the next call rebuilds it from `load`. */
  invalidate(): void;
}

export function createLiveSearch(load: () => Promise<readonly SearchDoc[]>, opts: SearchIndexOptions = {}): LiveSearch {
  let generation = 0;
  let current: { generation: number; index: SearchIndex } | undefined;
  let building: { generation: number; promise: Promise<SearchIndex> } | undefined;

  async function build(gen: number): Promise<SearchIndex> {
    const docs = await load();
    const index = createSearchIndex(docs, opts);
    // A build started before an invalidate() still serves its callers, but is kept only if current.
    if (!current || current.generation <= gen) current = { generation: gen, index };
    return index;
  }

  function index(): Promise<SearchIndex> {
    if (current && current.generation === generation) return Promise.resolve(current.index);
    if (building && building.generation === generation) return building.promise;
    const gen = generation;
    const promise = build(gen).finally(() => {
      if (building?.promise === promise) building = undefined;
    });
    building = { generation: gen, promise };
    return promise;
  }

  return {
    index,
    async search(query) {
      return (await index()).search(query);
    },
    invalidate() {
      generation++;
    },
  };
}
