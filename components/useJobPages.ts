import { useState } from "preact/hooks";
import type { JobView } from "@/lib/messages/views";
import type { Api } from "./useApi";

interface Pages {
  /** The newest page, refreshed while the view is open. */
  first: JobView[];
  /** Older pages the user asked for with "Show more". */
  older: JobView[];
  more: boolean;
}

/**
 * The share history, a page at a time: only what is shown is read. Paging goes by creation time;
 * the jobs of one post share it, so a page asks again from that time and skips those already shown.
 */
export function useJobPages(api: Api, pageSize: number) {
  const [pages, setPages] = useState<Pages>();

  const receiveFirst = (first: JobView[]) =>
    setPages((previous) => {
      const fresh = new Set(first.map((job) => job.id));
      if (!previous?.older.length) return { first, older: [], more: first.length === pageSize };
      // Jobs pushed out of the first page by new shares stay in view, above the older pages.
      const older = [...previous.first, ...previous.older].filter((job) => !fresh.has(job.id));
      return { first, older, more: previous.more };
    });

  const showMore = async () => {
    const shown = pages ? [...pages.first, ...pages.older] : [];
    const last = shown.at(-1);
    if (!last) return;
    const tied = shown.filter((job) => job.createdAt === last.createdAt).length;
    const limit = Math.min(100, pageSize + tied);
    const found = await api("jobs.list", { limit, createdBefore: last.createdAt + 1 });
    const known = new Set(shown.map((job) => job.id));
    setPages(
      (previous) =>
        previous && {
          first: previous.first,
          older: [...previous.older, ...found.filter((job) => !known.has(job.id))],
          more: found.length === limit,
        },
    );
  };

  const replace = (changed: JobView) =>
    setPages(
      (previous) =>
        previous && {
          ...previous,
          first: previous.first.map((job) => (job.id === changed.id ? changed : job)),
          older: previous.older.map((job) => (job.id === changed.id ? changed : job)),
        },
    );

  return {
    jobs: pages && [...pages.first, ...pages.older],
    more: pages?.more ?? false,
    receiveFirst,
    showMore,
    replace,
  };
}
