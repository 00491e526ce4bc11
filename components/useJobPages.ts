import { useState } from "preact/hooks";
import type { JobView } from "@/lib/messages/views";
import type { Api } from "./useApi";

interface Pages {
  /** The newest page, kept up to date while the view is open. */
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

  /**
   * A job's newer state (pushed, or answered to an action): a job shown is replaced where it is; a
   * new one takes its place by creation time, unless it belongs to pages not read yet.
   */
  const receive = (changed: JobView) =>
    setPages((previous) => {
      if (!previous) return previous;
      const swap = (jobs: JobView[]) => jobs.map((job) => (job.id === changed.id ? changed : job));
      const shown = [...previous.first, ...previous.older];
      if (shown.some((job) => job.id === changed.id)) {
        return { ...previous, first: swap(previous.first), older: swap(previous.older) };
      }
      const at = shown.findIndex((job) => job.createdAt <= changed.createdAt);
      if (at === -1 && previous.more) return previous;
      const index = at === -1 ? shown.length : at;
      if (index <= previous.first.length) {
        return { ...previous, first: previous.first.toSpliced(index, 0, changed) };
      }
      return { ...previous, older: previous.older.toSpliced(index - previous.first.length, 0, changed) };
    });

  return {
    jobs: pages && [...pages.first, ...pages.older],
    more: pages?.more ?? false,
    receiveFirst,
    showMore,
    receive,
  };
}
