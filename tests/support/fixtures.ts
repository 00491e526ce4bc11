import { putAccount } from "@/lib/db/accounts";
import type { AccountRecord, JobRecord } from "@/lib/db/schema";
import type { GraphClient, GraphRequest } from "@/lib/facebook/graph";
import type { HandlerDeps } from "@/lib/handlers/deps";
import type { PublishedPost } from "@/lib/instagram/post";
import { createJob } from "@/lib/queue/lifecycle";
import { updateSettings } from "@/lib/settings/store";

export const PAGE_TOKEN = "EAAGpagetoken0123456789abcdef";

export function photoPost(
  pk = "3141592653589793238",
  caption = "Fresh sourdough today 🍞 #bakery",
): PublishedPost {
  return {
    pk,
    code: "C9xYz_AbCdE",
    kind: "photo",
    caption,
    media: [
      {
        type: "image",
        url: `https://scontent.cdninstagram.com/v/t51.2885-15/${pk}_n.jpg`,
        width: 1080,
        height: 1080,
      },
    ],
  };
}

/** The user's "Allow and continue" on the first-run page, as stored. */
export async function giveConsent(): Promise<void> {
  await updateSettings({ consent: { readInstagram: true, at: 0 } });
}

export async function linkPage(overrides: Partial<AccountRecord> = {}): Promise<AccountRecord> {
  const account: AccountRecord = {
    id: "1001",
    kind: "page",
    name: "Acme Bakery",
    token: PAGE_TOKEN,
    status: "ok",
    linkedAt: 0,
    ...overrides,
  };
  await putAccount(account);
  return account;
}

export function jobFor(
  post: PublishedPost,
  account: Pick<AccountRecord, "id" | "name" | "status">,
  now = 0,
  message = post.caption,
  comment?: string,
): JobRecord {
  return createJob(post, account, message, now, { comment });
}

type Answer = unknown | ((request: GraphRequest) => unknown);

/** An unpublished photo upload: the first half of every photo post, invisible on the Page. */
function isPhotoUpload(request: GraphRequest): boolean {
  return request.method === "POST" && request.path.endsWith("/photos") && request.params?.published === false;
}

/**
 * A Graph client that answers from a script, one entry per call (an Error entry is thrown), and
 * keeps every request; past the script, posts succeed and recent-post searches find nothing.
 * Unpublished photo uploads are answered with a fresh id and take no entry: the script speaks
 * of the calls that publish or look.
 */
export function scriptedGraph(script: Answer[] = []) {
  const calls: GraphRequest[] = [];
  let uploads = 0;
  let posts = 0;
  const client: GraphClient = {
    async call(request) {
      calls.push(request);
      if (isPhotoUpload(request)) return { id: `8${++uploads}` };
      const next = script.shift();
      if (next instanceof Error) throw next;
      if (typeof next === "function") return next(request);
      if (next !== undefined) return next;
      if (request.method === "GET" && /\/(published_posts|comments)$/.test(request.path)) return { data: [] };
      posts += 1;
      if (request.path.endsWith("/feed")) return { id: `1001_${posts}` };
      if (request.path.endsWith("/comments")) return { id: `1_50${posts}` };
      return { id: `9${posts}`, post_id: `1001_${posts}` };
    },
  };
  return {
    client,
    calls,
    /** The calls that publish: every POST but the unpublished uploads. */
    posts: () => calls.filter((call) => call.method === "POST" && !isPhotoUpload(call)),
    /** Every call but the unpublished uploads: the ones that publish or look. */
    sent: () => calls.filter((call) => !isPhotoUpload(call)),
  };
}

/** The handlers' dependencies around `graph`: a queue that only counts its kicks, and no one told of changes. */
export function quietHandlerDeps(graph: GraphClient, now: () => number) {
  let kicks = 0;
  const deps: HandlerDeps = {
    graph,
    queue: {
      kick: async () => {
        kicks += 1;
      },
      networkBack: async () => undefined,
      limitsOf: () => undefined,
    },
    now,
    onJobChanged: () => undefined,
    onAccountsChanged: () => undefined,
    onSettingsChanged: () => undefined,
    onDataReplaced: () => undefined,
  };
  return { deps, kicks: () => kicks };
}
