import * as z from "zod/mini";
import { createMastodonClient, isHostName, type MastodonClient, readAnswer } from "./client";

/** Mastodon's own defaults, for an instance that does not say (docs: entities/Instance). */
export const MASTODON_TEXT_LIMIT = 500;
export const MASTODON_LINK_LENGTH = 23;
export const MASTODON_MAX_MEDIA = 4;
/** Alt text Mastodon takes (MediaAttachment's description), announced from 4.4 on. */
export const MASTODON_DESCRIPTION_LIMIT = 1500;

/** What one instance takes in a post, as it announces it. */
export interface MastodonInstance {
  /** The domain in its accounts' handles (`@name@domain`), which may differ from the API's host. */
  domain: string;
  textLimit: number;
  linkLength: number;
  maxMedia: number;
  /** Bytes; undefined when the instance does not say (then it alone decides). */
  imageSizeLimit?: number;
  videoSizeLimit?: number;
  descriptionLimit: number;
}

const count = z.optional(z.number().check(z.int(), z.positive()));
const configurationSchema = z.optional(
  z.object({
    statuses: z.optional(
      z.object({
        max_characters: count,
        max_media_attachments: count,
        characters_reserved_per_url: count,
      }),
    ),
    media_attachments: z.optional(
      z.object({ image_size_limit: count, video_size_limit: count, description_limit: count }),
    ),
  }),
);
const domain = z
  .pipe(
    z.string().check(z.maxLength(300)),
    // Servers before 4.0 may write `uri` as a URL.
    z.transform((value) =>
      value
        .replace(/^https?:\/\//, "")
        .replace(/\/$/, "")
        .toLowerCase(),
    ),
  )
  .check(z.refine(isHostName, "a domain"));
const v2Answer = z.object({ domain, configuration: configurationSchema });
/** Before 4.0 (no v2): `uri` is the domain; forks write their limit as `max_toot_chars`. */
const v1Answer = z.object({ uri: domain, configuration: configurationSchema, max_toot_chars: count });

const WHAT = "“what does this server take”";

/**
 * The instance's limits (`GET /api/v2/instance`, or `/api/v1/instance` on servers older than 4.0),
 * for linking. Public: no sign-in needed.
 */
export async function readInstance(fetchImpl: typeof fetch, origin: string): Promise<MastodonInstance> {
  return readInstanceWith(createMastodonClient(fetchImpl, origin), "refuse");
}

/** The same, over a client the caller has; `mismatch` as in readAnswer. */
export async function readInstanceWith(
  client: MastodonClient,
  mismatch: "retry" | "refuse",
): Promise<MastodonInstance> {
  const current = await client.call({ method: "GET", path: "/api/v2/instance", answers: [404] });
  if (current.status !== 404) {
    const { domain, configuration } = readAnswer(v2Answer, current.body, WHAT, mismatch);
    return limitsOf(domain, configuration);
  }
  const legacy = await client.call({ method: "GET", path: "/api/v1/instance" });
  const v1 = readAnswer(v1Answer, legacy.body, WHAT, mismatch);
  const limits = limitsOf(v1.uri, v1.configuration);
  return v1.max_toot_chars && !v1.configuration?.statuses?.max_characters
    ? { ...limits, textLimit: v1.max_toot_chars }
    : limits;
}

function limitsOf(domain: string, configuration: z.infer<typeof configurationSchema>): MastodonInstance {
  const statuses = configuration?.statuses;
  const media = configuration?.media_attachments;
  return {
    domain,
    textLimit: statuses?.max_characters ?? MASTODON_TEXT_LIMIT,
    linkLength: statuses?.characters_reserved_per_url ?? MASTODON_LINK_LENGTH,
    maxMedia: statuses?.max_media_attachments ?? MASTODON_MAX_MEDIA,
    ...(media?.image_size_limit && { imageSizeLimit: media.image_size_limit }),
    ...(media?.video_size_limit && { videoSizeLimit: media.video_size_limit }),
    descriptionLimit: media?.description_limit ?? MASTODON_DESCRIPTION_LIMIT,
  };
}
