import { openDatabase } from "./open";

/**
 * The user's own Meta app (id, optional secret) lives beside the settings record under its own
 * key, so a settings export never carries the secret unless it asks for this record by name.
 */
const APP_CREDENTIALS_KEY = "facebook-app";

/** The stored record as it is; its reader validates it (appCredentialsSchema, lib/facebook/oauth.ts). */
export async function readAppCredentialsRecord(): Promise<unknown> {
  return (await openDatabase()).get("settings", APP_CREDENTIALS_KEY);
}

export async function writeAppCredentialsRecord(credentials: unknown): Promise<void> {
  await (await openDatabase()).put("settings", credentials, APP_CREDENTIALS_KEY);
}

/**
 * The user's own apps on the services that ask for one: Threads (the Threads use case of their
 * Meta app has its own id and secret) and Tumblr (an app's OAuth consumer key and secret).
 */
export type ServiceApp = "threads" | "tumblr";

export async function readServiceAppRecord(service: ServiceApp): Promise<unknown> {
  return (await openDatabase()).get("settings", `${service}-app`);
}

export async function writeServiceAppRecord(service: ServiceApp, credentials: unknown): Promise<void> {
  await (await openDatabase()).put("settings", credentials, `${service}-app`);
}
