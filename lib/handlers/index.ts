import type { Handlers } from "../messages/router";
import { createAccountsHandlers } from "./accounts";
import { createComposerHandlers } from "./composer";
import { createDataHandlers } from "./data";
import type { HandlerDeps } from "./deps";
import { createInstagramHandlers } from "./instagram";
import { createJobsHandlers } from "./jobs";
import { createNewPostsHandlers, createNewPostsWatcher, type NewPostsWatcher } from "./new-posts";
import { createServiceHandlers, type ServiceLinkDeps } from "./services";
import { createSettingsHandlers } from "./settings";

export type { HandlerDeps } from "./deps";

/** What each message does, by domain. The router has already checked who asked and the shape. */
export function createHandlers(
  deps: HandlerDeps,
  newPosts: NewPostsWatcher = createNewPostsWatcher(deps),
  serviceLinks?: ServiceLinkDeps,
): Handlers {
  return {
    ...createComposerHandlers(deps),
    ...createAccountsHandlers(deps),
    ...createSettingsHandlers(deps),
    ...createJobsHandlers(deps),
    ...createDataHandlers(deps),
    ...createInstagramHandlers(deps),
    ...createNewPostsHandlers(newPosts),
    ...createServiceHandlers(deps, serviceLinks),
  };
}
