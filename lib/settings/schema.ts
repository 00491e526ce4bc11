import * as z from "zod/mini";
import { captionRulesSchema, DEFAULT_CAPTION_RULES } from "../caption/rules";

const accountId = z.string().check(z.minLength(1), z.maxLength(64));

export const settingsSchema = z.object({
  version: z.literal(1),
  /** Per content type: the switch starts on. Off by default: nothing is shared unless asked. */
  autoShare: z.object({
    photo: z.boolean(),
    carousel: z.boolean(),
    video: z.boolean(),
    reel: z.boolean(),
    story: z.boolean(),
  }),
  /** Targets picked when nothing else is; empty means every linked account. */
  defaultTargets: z.array(accountId).check(z.maxLength(50)),
  rememberLastChoice: z.boolean(),
  lastTargets: z.array(accountId).check(z.maxLength(50)),
  caption: captionRulesSchema,
  notifications: z.object({ onSuccess: z.boolean(), onFailure: z.boolean() }),
});

export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  version: 1,
  autoShare: { photo: false, carousel: false, video: false, reel: false, story: false },
  defaultTargets: [],
  rememberLastChoice: true,
  lastTargets: [],
  caption: DEFAULT_CAPTION_RULES,
  notifications: { onSuccess: false, onFailure: true },
};
