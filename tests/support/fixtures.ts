import { putAccount } from "@/lib/db/accounts";
import type { AccountRecord, JobRecord } from "@/lib/db/schema";
import type { GraphClient, GraphRequest } from "@/lib/facebook/graph";
import type { PublishedPost } from "@/lib/instagram/post";
import { createJob } from "@/lib/queue/lifecycle";

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
): JobRecord {
  return createJob(post, account, message, now);
}

type Answer = unknown | ((request: GraphRequest) => unknown);

/**
 * A Graph client that answers from a script, one entry per call (an Error entry is thrown), and
 * keeps every request; past the script, photos succeed and recent-post searches find nothing.
 */
export function scriptedGraph(script: Answer[] = []) {
  const calls: GraphRequest[] = [];
  let posts = 0;
  const client: GraphClient = {
    async call(request) {
      calls.push(request);
      const next = script.shift();
      if (next instanceof Error) throw next;
      if (typeof next === "function") return next(request);
      if (next !== undefined) return next;
      if (request.path.endsWith("/published_posts")) return { data: [] };
      posts += 1;
      return { id: `9${posts}`, post_id: `1001_${posts}` };
    },
  };
  return { client, calls, posts: () => calls.filter((call) => call.method === "POST") };
}
