import { PostPageShare } from "@/components/PostPageShare";
import { isOverLimit, toFacebookMessage } from "@/lib/caption/message";
import type { Confirmation } from "@/lib/instagram/confirm";
import { permalinkOf } from "@/lib/instagram/permalink";
import type { PublishedPost } from "@/lib/instagram/post";
import { findActionBar, postPkOfPath } from "@/lib/instagram/post-page";
import type { ConsentedContext } from "@/lib/messages/views";
import { createHost, type InPageApi, renderInto, type StatusLine } from "./in-page";

export interface PostPageApi extends InPageApi {
  /** Asks Instagram itself whether the post is the signed-in user's own, and what it is. */
  readOwnPost(pk: string): Promise<Confirmation>;
  now(): number;
}

/** The inline button on one of the user's own posts, and the choice it opens. */
interface Offer {
  post: PublishedPost;
  context: ConsentedContext;
  targets: string[];
  open: boolean;
  choosing: boolean;
  editedMessage?: string;
  when?: "now" | number;
  host: HTMLElement;
  /** No action bar was found: a pill fixed on the screen until one is. */
  floating: boolean;
}

/** How often the path is read where the browser announces no same-document navigation. */
const PATH_READ_MS = 250;

const FLOATING_CSS = "position:fixed;right:24px;bottom:80px;z-index:2147483647";

/**
 * "Share to Facebook" on the user's own post pages. Instagram is a single-page app and the isolated
 * world sees no event for its `history.pushState`: the Navigation API's `currententrychange` says
 * when the path may have changed where the browser has it (Chromium; Firefox from 147, in the
 * isolated world too), and elsewhere (Firefox 140 ESR, which the manifest still admits) the path is
 * read every quarter second; either way the check is one string comparison. The page's
 * subtree is observed on a post page only, to put the button after the action bar when it comes and
 * back when a redraw removes it, so a busy feed's churn costs nothing. Only the path's shortcode is
 * read from the page; the post shared is Instagram's answer.
 */
export function startPostPage(win: Window, signal: AbortSignal, api: PostPageApi, status: StatusLine) {
  const doc = win.document;
  let path: string | undefined;
  let offer: Offer | undefined;

  const remove = () => {
    if (offer) {
      renderInto(offer.host, null);
      offer.host.remove();
    }
    offer = undefined;
  };

  /** After the action bar when Instagram drew one, else floating; moved when the bar comes later. */
  const place = (current: Offer) => {
    const bar = findActionBar(doc);
    if (bar) {
      if (bar.nextElementSibling !== current.host) bar.after(current.host);
      current.host.style.cssText = "";
      current.floating = false;
    } else if (!current.host.isConnected) {
      current.host.style.cssText = FLOATING_CSS;
      doc.body?.append(current.host);
      current.floating = true;
    }
  };

  const messageOf = (current: Offer) =>
    toFacebookMessage(current.post.caption, current.context.settings.caption, permalinkOf(current.post));

  const draw = (current: Offer) => {
    const computed = messageOf(current);
    const message = current.editedMessage ?? computed.text;
    const redraw = () => draw(current);
    renderInto(
      current.host,
      <PostPageShare
        open={current.open}
        onOpen={() => {
          current.open = true;
          redraw();
        }}
        onCancel={() => {
          current.open = false;
          redraw();
        }}
        onShare={() => void share(current, message)}
        panel={{
          t: api.t,
          accounts: current.context.accounts,
          targets: current.targets,
          onTargetsChange: (ids) => {
            current.targets = ids;
            redraw();
          },
          choosing: current.choosing,
          onChoosingChange: (open) => {
            current.choosing = open;
            redraw();
          },
          message,
          onMessageChange: (edited) => {
            current.editedMessage = edited;
            redraw();
          },
          overLimit: isOverLimit(message),
          // The post exists: its permalink is already in the text or the first comment shown.
          permalinkLater: false,
          firstComment: computed.comment,
          delayMinutes: current.context.settings.delayMinutes,
          when: current.when,
          onWhenChange: (when) => {
            current.when = when;
            redraw();
          },
          now: api.now(),
        }}
      />,
    );
  };

  const share = async (current: Offer, message: string) => {
    if (offer !== current) return;
    // One request per offer: the button goes, and the status line follows the share from here.
    remove();
    const { post } = current;
    status.show(post.pk, []);
    try {
      const answer = await api.request("share.request", {
        post,
        targets: current.targets,
        message,
        ...(current.when !== undefined && { when: current.when }),
      });
      status.show(post.pk, answer.jobs);
    } catch (error) {
      status.fail(error);
    }
  };

  const visit = async (visited: string) => {
    remove();
    const pk = postPkOfPath(visited);
    if (!pk) return;
    const stillHere = () => path === visited && !signal.aborted;
    // Consent first, every visit (it can be withdrawn while the tab is open); then Instagram's word.
    const context = await api.request("composer.context", {});
    if (!context.consent || !stillHere()) return;
    const own = await api.readOwnPost(pk);
    if (!own.confirmed || !stillHere()) return;
    const jobs = await api.request("share.status", { pk });
    if (!stillHere()) return;
    // Already shared (or on its way): its state and link, not a second offer.
    if (jobs.length > 0) return status.show(pk, jobs);
    const current: Offer = {
      post: own.post,
      context,
      targets: context.proposedTargets,
      open: false,
      choosing: false,
      host: createHost(doc, "alsoshare-post"),
      floating: true,
    };
    offer = current;
    place(current);
    draw(current);
  };

  const Observer = doc.defaultView?.MutationObserver;
  if (!Observer) return;
  const redraws = new Observer(() => check());
  const check = () => {
    if (win.location.pathname !== path) {
      path = win.location.pathname;
      if (postPkOfPath(path)) redraws.observe(doc.documentElement, { childList: true, subtree: true });
      else redraws.disconnect();
      visit(path).catch(() => undefined);
    } else if (offer && (offer.floating || !offer.host.isConnected)) {
      place(offer);
    }
  };
  const watchPath = () => {
    const navigation = (win as { navigation?: EventTarget }).navigation;
    if (navigation) return navigation.addEventListener("currententrychange", check, { signal });
    const timer = win.setInterval(check, PATH_READ_MS);
    signal.addEventListener("abort", () => win.clearInterval(timer), { once: true });
  };

  signal.addEventListener(
    "abort",
    () => {
      redraws.disconnect();
      remove();
    },
    { once: true },
  );
  // Nothing is watched before the background answers that the user consented.
  api.request("composer.context", {}).then(
    (context) => {
      if (!context.consent || signal.aborted) return;
      watchPath();
      check();
    },
    () => undefined,
  );
}
