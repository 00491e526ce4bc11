/**
 * The services alsoshare shares to, by the id its account records and jobs carry. Facebook's
 * accounts keep their Graph ids (and "profile"); every other service's account id starts with its
 * service id and a colon (`bluesky:did:plc:…`), so a job names its service without a lookup.
 */
export const SERVICE_NAMES = {
  facebook: "Facebook",
  bluesky: "Bluesky",
  mastodon: "Mastodon",
  threads: "Threads",
  tumblr: "Tumblr",
} as const;

export type ServiceId = keyof typeof SERVICE_NAMES;

/** The Facebook profile is linked once, under a fixed id no Graph id can take. */
export const FACEBOOK_PROFILE_ID = "profile";

const PREFIXED = /^(bluesky|mastodon|threads|tumblr):/;

export function serviceOf(accountId: string): ServiceId {
  return (PREFIXED.exec(accountId)?.[1] as ServiceId | undefined) ?? "facebook";
}

export function serviceName(accountId: string): string {
  return SERVICE_NAMES[serviceOf(accountId)];
}

/** An account id for a service other than Facebook: its service, then its own id there. */
export function accountIdFor(service: Exclude<ServiceId, "facebook">, userId: string): string {
  return `${service}:${userId}`;
}
