import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { toFacebookMessage } from "@/lib/caption/message";
import type { AccountView, InstagramPostsView, JobView, PastPostView, Settings } from "@/lib/messages/views";
import { useFormat, useT } from "./i18n";
import { KIND_KEYS, STATE_KEYS } from "./JobList";
import { type Api, errorMessage } from "./useApi";
import type { Notice } from "./useOneAction";

const EXCERPT_CHARS = 140;

/** The Pages' links to Instagram accounts as one key: "" when no Page has one. */
export function instagramLinks(accounts: AccountView[]): string {
  return accounts
    .flatMap((account) =>
      account.instagram?.state === "linked" ? [`${account.id}:${account.instagram.id}`] : [],
    )
    .join(",");
}

/**
 * The recent posts of each linked Instagram account, `count` of each, read when `links` is given and
 * again when it changes (a Page linked, unlinked or signed in again); shares are merged in as they come.
 */
export function useInstagramPosts(
  api: Api,
  links: string | undefined,
  count: number,
  onError: (text: string) => void,
) {
  const [lists, setLists] = useState<InstagramPostsView[]>();
  useEffect(() => {
    if (links === undefined) return;
    api("instagram.recent", { count }).then(setLists, (reason: unknown) => onError(errorMessage(reason)));
  }, [api, links]);
  return {
    lists,
    receive: (jobs: JobView[]) => setLists((current) => current?.map((list) => withJobs(list, jobs))),
    /** One account's list read again, as "Show older" does. */
    replace: (list: InstagramPostsView) =>
      setLists((current) => current?.map((entry) => (entry.instagramId === list.instagramId ? list : entry))),
  };
}

/** The list with these jobs in place of the ones of the same id, under the post they share. */
function withJobs(list: InstagramPostsView, jobs: JobView[]): InstagramPostsView {
  return {
    ...list,
    posts: list.posts.map((post) => {
      const mine = jobs.filter((job) => post.pk !== undefined && job.id.startsWith(`${post.pk}:`));
      if (mine.length === 0) return post;
      const ids = new Set(mine.map((job) => job.id));
      return { ...post, jobs: [...post.jobs.filter((job) => !ids.has(job.id)), ...mine] };
    }),
  };
}

export interface InstagramPostListProps {
  api: Api;
  list: InstagramPostsView;
  pages: AccountView[];
  caption: Settings["caption"];
  /** The jobs a share from this list started. */
  onShared: (jobs: JobView[]) => void;
  onNotice: (notice: Notice) => void;
  /** Shown under the posts, such as the options' "Show older posts". */
  children?: ComponentChildren;
}

/** One Instagram account's recent posts, each with its shares and a "Share to Facebook" choice. */
export function InstagramPostList({
  api,
  list,
  pages,
  caption,
  onShared,
  onNotice,
  children,
}: InstagramPostListProps) {
  const t = useT();
  return (
    <div class="instagram-account">
      <h3>@{list.username}</h3>
      {list.error && <p class="error-text">{list.error}</p>}
      {!list.error && list.posts.length === 0 && <p class="muted">{t("noInstagramPosts")}</p>}
      <ul class="past-posts">
        {list.posts.map((post) => (
          <PastPost
            key={post.igMediaId}
            post={post}
            pages={pages}
            caption={caption}
            onShare={async (pageIds, message) => {
              onShared(
                await api("instagram.sharePast", {
                  instagramId: list.instagramId,
                  igMediaId: post.igMediaId,
                  pageIds,
                  message,
                }),
              );
            }}
            onNotice={onNotice}
          />
        ))}
      </ul>
      {children}
    </div>
  );
}

interface PastPostProps {
  post: PastPostView;
  pages: AccountView[];
  caption: Settings["caption"];
  onShare: (pageIds: string[], message: string) => Promise<void>;
  onNotice: (notice: Notice) => void;
}

function PastPost({ post, pages, caption, onShare, onNotice }: PastPostProps) {
  const t = useT();
  const format = useFormat();
  const shared = new Set(post.jobs.map((job) => job.targetId));
  const open = pages.filter((page) => !shared.has(page.id));
  const [choosing, setChoosing] = useState(false);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);
  const formId = `share-past-${post.igMediaId}`;

  const start = () => {
    setPicked(new Set(open.map((page) => page.id)));
    setMessage(toFacebookMessage(post.caption, caption, post.permalink).text);
    setChoosing(true);
  };
  const share = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      await onShare([...picked], message);
      setChoosing(false);
      onNotice({ text: t("pastPostQueued"), error: false });
    } catch (reason) {
      onNotice({ text: errorMessage(reason), error: true });
    } finally {
      setBusy(false);
    }
  };
  const excerpt =
    post.caption.length > EXCERPT_CHARS ? `${post.caption.slice(0, EXCERPT_CHARS).trimEnd()}…` : post.caption;

  return (
    <li class="past-post" data-ig-media-id={post.igMediaId}>
      {post.thumbnailUrl ? (
        <img src={post.thumbnailUrl} alt="" width={64} height={64} loading="lazy" decoding="async" />
      ) : (
        <span class="thumb" aria-hidden="true" />
      )}
      <div class="job-text">
        <p class="past-caption">{excerpt || t("noCaption")}</p>
        <p class="muted">
          {t(KIND_KEYS[post.kind])}
          {post.postedAt !== undefined && (
            <>
              {" · "}
              <time dateTime={new Date(post.postedAt).toISOString()}>{format.dateTime(post.postedAt)}</time>
            </>
          )}
          {post.permalink && (
            <>
              {" · "}
              <a href={post.permalink} target="_blank" rel="noopener noreferrer">
                {t("jobsOpenInstagram")}
              </a>
            </>
          )}
        </p>
        {post.jobs.length > 0 && (
          <ul class="past-shares">
            {post.jobs.map((job) => (
              <li key={job.id} class={`past-share job-${job.state}`}>
                <span class="job-target">{job.targetName}</span>{" "}
                <span class={`state state-${job.state}`}>{t(STATE_KEYS[job.state])}</span>
                {job.postUrl && (
                  <>
                    {" "}
                    <a href={job.postUrl} target="_blank" rel="noopener noreferrer">
                      {t("jobsOpenFacebook")}
                    </a>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
        {open.length > 0 && !choosing && (
          <button type="button" onClick={start} aria-controls={formId} aria-expanded={false}>
            {t("shareToFacebook")}
          </button>
        )}
        {choosing && (
          <form id={formId} class="share-past" onSubmit={share} aria-busy={busy}>
            <fieldset>
              <legend>{t("sharePastTargets")}</legend>
              {open.map((page) => (
                <label key={page.id} class="check">
                  <input
                    type="checkbox"
                    checked={picked.has(page.id)}
                    onChange={(event) => {
                      const next = new Set(picked);
                      if (event.currentTarget.checked) next.add(page.id);
                      else next.delete(page.id);
                      setPicked(next);
                    }}
                  />
                  {page.name}
                </label>
              ))}
            </fieldset>
            <label for={`${formId}-text`}>{t("facebookText")}</label>
            <textarea
              id={`${formId}-text`}
              rows={4}
              value={message}
              onInput={(event) => setMessage(event.currentTarget.value)}
            />
            <div class="inline">
              <button type="submit" class="primary" disabled={busy || picked.size === 0}>
                {t("share")}
              </button>
              <button type="button" onClick={() => setChoosing(false)}>
                {t("cancel")}
              </button>
            </div>
          </form>
        )}
      </div>
    </li>
  );
}
