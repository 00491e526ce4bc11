import * as z from "zod/mini";
import { captionRulesSchema, DEFAULT_CAPTION_RULES } from "../caption/rules";

const accountId = z.string().check(z.minLength(1), z.maxLength(64));

const autoShareSchema = z.object({
  photo: z.boolean(),
  carousel: z.boolean(),
  video: z.boolean(),
  reel: z.boolean(),
  story: z.boolean(),
});
/** Per kind the Instagram API lists (it lists no stories): share posts made anywhere, the phone included. */
const newPostsSchema = z.object({
  photo: z.boolean(),
  carousel: z.boolean(),
  video: z.boolean(),
  reel: z.boolean(),
});
const targetsSchema = z.array(accountId).check(z.maxLength(50));
const notificationsSchema = z.object({ onSuccess: z.boolean(), onFailure: z.boolean() });
/** 0: at once; else Facebook is asked to publish this many minutes later (10 minutes to 30 days). */
const delayMinutesSchema = z
  .int()
  .check(z.refine((minutes) => minutes === 0 || (minutes >= 10 && minutes <= 43_200), "0, or 10 to 43,200"));
/**
 * The user's answer to the first-run disclosure: whether alsoshare may read the answers to their
 * own publishes on instagram.com, and when they said so. Absent until asked: nothing is read.
 */
export const consentSchema = z.strictObject({ readInstagram: z.boolean(), at: z.optional(z.number()) });
export type Consent = z.infer<typeof consentSchema>;

export const settingsSchema = z.object({
  version: z.literal(1),
  /** Per content type: the switch starts on. Off by default: nothing is shared unless asked. */
  autoShare: autoShareSchema,
  /** Targets picked when nothing else is; empty means every linked account. */
  defaultTargets: targetsSchema,
  rememberLastChoice: z.boolean(),
  lastTargets: targetsSchema,
  caption: captionRulesSchema,
  notifications: notificationsSchema,
  // Optional, so the records of earlier versions still validate: they were never asked.
  consent: z.optional(consentSchema),
  /** How long after Instagram a share goes to Facebook's Pages unless the post says otherwise. */
  delayMinutes: z.optional(delayMinutesSchema),
  /** Absent in older settings: every kind off. */
  newPosts: z.optional(newPostsSchema),
});

export type Settings = z.infer<typeof settingsSchema>;

/**
 * A change to some settings, one level deep: `{ autoShare: { reel: true } }` turns one kind on and
 * leaves everything else as stored, so two pages changing different settings never undo each other.
 */
export const settingsPatchSchema = z.strictObject({
  autoShare: z.optional(z.partial(z.strictObject(autoShareSchema.def.shape))),
  defaultTargets: z.optional(targetsSchema),
  rememberLastChoice: z.optional(z.boolean()),
  lastTargets: z.optional(targetsSchema),
  caption: z.optional(z.partial(z.strictObject(captionRulesSchema.def.shape))),
  notifications: z.optional(z.partial(z.strictObject(notificationsSchema.def.shape))),
  consent: z.optional(consentSchema),
  delayMinutes: z.optional(delayMinutesSchema),
  newPosts: z.optional(z.partial(z.strictObject(newPostsSchema.def.shape))),
});

export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

/** The settings with `patch` applied over them; the result is checked as a whole. */
export function applySettingsPatch(current: Settings, patch: SettingsPatch): Settings {
  const given = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
  return settingsSchema.parse({
    ...current,
    ...given,
    autoShare: { ...current.autoShare, ...patch.autoShare },
    caption: { ...current.caption, ...patch.caption },
    notifications: { ...current.notifications, ...patch.notifications },
    ...((current.newPosts || patch.newPosts) && {
      newPosts: { ...NO_NEW_POSTS, ...current.newPosts, ...patch.newPosts },
    }),
  });
}

/** Posts made anywhere are shared only for the kinds the user turns on. */
export const NO_NEW_POSTS: NonNullable<Settings["newPosts"]> = {
  photo: false,
  carousel: false,
  video: false,
  reel: false,
};

/** Whether posts made anywhere are watched for: the user turned it on for some kind. */
export function watchesNewPosts(settings: Settings): boolean {
  return Object.values(settings.newPosts ?? NO_NEW_POSTS).some(Boolean);
}

export const DEFAULT_SETTINGS: Settings = {
  version: 1,
  autoShare: { photo: false, carousel: false, video: false, reel: false, story: false },
  defaultTargets: [],
  rememberLastChoice: true,
  lastTargets: [],
  caption: DEFAULT_CAPTION_RULES,
  notifications: { onSuccess: false, onFailure: true },
};

/**
 * The stored settings, read from a record: defaults when there is none, undefined when it no
 * longer validates. Pure, so a transaction can use it over the record it just read.
 */
export function readSettings(stored: unknown): Settings | undefined {
  if (stored === undefined) return DEFAULT_SETTINGS;
  const parsed = settingsSchema.safeParse(stored);
  return parsed.success ? parsed.data : undefined;
}
