import { readAppCredentialsRecord, readServiceAppRecord } from "../db/app-credentials";
import { type AppCredentials, appCredentialsSchema } from "../facebook/oauth";
import { type TumblrApp, tumblrAppSchema } from "../tumblr/oauth";

/** The user's own Meta app as stored, or undefined when none is saved (or it no longer validates). */
export async function loadAppCredentials(): Promise<AppCredentials | undefined> {
  const parsed = appCredentialsSchema.safeParse(await readAppCredentialsRecord());
  return parsed.success ? parsed.data : undefined;
}

/** The user's Tumblr app as stored, or undefined when none is saved (or it no longer validates). */
export async function loadTumblrApp(): Promise<TumblrApp | undefined> {
  const parsed = tumblrAppSchema.safeParse(await readServiceAppRecord("tumblr"));
  return parsed.success ? parsed.data : undefined;
}
