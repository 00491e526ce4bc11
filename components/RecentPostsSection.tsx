import { useEffect, useState } from "preact/hooks";
import { MAX_RECENT_POSTS } from "@/lib/messages/protocol";
import type { AccountView, InstagramPostsView, JobView, Settings, SettingsPatch } from "@/lib/messages/views";
import { useT } from "./i18n";
import { NewPostsChoice } from "./NewPostsChoice";
import { InstagramPostList, instagramLinks, useInstagramPosts } from "./PastPosts";
import { type Api, errorMessage } from "./useApi";
import type { Notice } from "./useOneAction";

/** The list shows this many of each account's newest posts, and as many more for each "Show older posts". */
export const OPTIONS_POSTS = 12;

export interface RecentPostsSectionProps {
  api: Api;
  accounts: AccountView[];
  settings: Settings;
  onSave: (patch: SettingsPatch) => void;
  now: number;
  /** The newest change to a share, pushed by the background: a post's line follows it. */
  changedJob?: JobView;
  onNotice: (notice: Notice) => void;
}

/** Options › Recent Instagram posts: posts made anywhere (the phone app too), to share one after the fact. */
export function RecentPostsSection({
  api,
  accounts,
  settings,
  onSave,
  now,
  changedJob,
  onNotice,
}: RecentPostsSectionProps) {
  const t = useT();
  const { lists, receive, replace } = useInstagramPosts(
    api,
    instagramLinks(accounts),
    OPTIONS_POSTS,
    (text) => onNotice({ text, error: true }),
  );
  const [reading, setReading] = useState<string>();

  useEffect(() => {
    if (changedJob) receive([changedJob]);
  }, [changedJob]);

  // The whole list again with more posts: the newer ones' shares are read fresh with it.
  const showOlder = async (list: InstagramPostsView) => {
    setReading(list.instagramId);
    try {
      const [longer] = await api("instagram.recent", {
        instagramId: list.instagramId,
        count: Math.min(list.posts.length + OPTIONS_POSTS, MAX_RECENT_POSTS),
      });
      if (longer) replace(longer);
    } catch (reason) {
      onNotice({ text: errorMessage(reason), error: true });
    } finally {
      setReading(undefined);
    }
  };

  const pages = accounts.filter((account) => account.kind === "page");
  return (
    <section id="instagram-posts" aria-labelledby="instagram-posts-heading">
      <h2 id="instagram-posts-heading">{t("recentInstagramPosts")}</h2>
      <NewPostsChoice api={api} settings={settings} onSave={onSave} now={now} onNotice={onNotice} />
      {lists?.length === 0 && <p class="muted">{t("noInstagramAccount")}</p>}
      {lists?.map((list) => (
        <InstagramPostList
          key={list.instagramId}
          api={api}
          list={list}
          pages={pages}
          caption={settings.caption}
          onShared={receive}
          onNotice={onNotice}
        >
          {list.hasOlder && (
            <button
              type="button"
              class="more"
              disabled={reading === list.instagramId}
              aria-busy={reading === list.instagramId}
              onClick={() => showOlder(list)}
            >
              {t("showOlderPosts")}
            </button>
          )}
        </InstagramPostList>
      ))}
    </section>
  );
}
