import type { Browser } from "wxt/browser";
import * as z from "zod/mini";
import { settingsSchema } from "../settings/schema";
import { accountViewSchema, jobViewSchema, shareStatusViewSchema } from "./views";

type MessageSender = Browser.runtime.MessageSender;

const empty = z.strictObject({});

/**
 * What the background tells without being asked, in the same `{ type, payload }` envelope as a
 * request. Every receiver parses a push with these schemas and drops anything else.
 */
export const tabPushes = {
  /** To the Instagram tab that asked for a share: the post's shares, for its status line. */
  "share.update": z.strictObject({
    pk: z.string().check(z.regex(/^\d{1,30}$/)),
    jobs: z.array(shareStatusViewSchema).check(z.maxLength(50)),
  }),
} as const;

/** To our open pages (popup, options), over their watch port. */
export const pagePushes = {
  "job.changed": z.strictObject({ job: jobViewSchema }),
  "accounts.changed": z.strictObject({ accounts: z.array(accountViewSchema) }),
  "settings.changed": z.strictObject({ settings: settingsSchema }),
  /** Everything stored was replaced (an import, a delete): read it all again. */
  "data.replaced": empty,
} as const;

type Definitions = Record<string, z.ZodMiniType>;
type PushOf<D extends Definitions> = { [T in keyof D]: { type: T; payload: z.infer<D[T]> } }[keyof D];

export type TabPush = PushOf<typeof tabPushes>;
export type PagePush = PushOf<typeof pagePushes>;

/**
 * What a watching page hears: the background's pushes, and, from its own side, that its port was
 * dropped (the browser stopped the worker) and is connected again, so pushes may have been missed.
 */
export type WatchEvent = PagePush | { type: "watch.resumed" };

/** How a page hears what changed; answers how to stop. Pages take it as a prop, tests pass a fake. */
export type Subscribe = (onEvent: (event: WatchEvent) => void) => () => void;

/** The name our pages give their port to the background. */
export const WATCH_PORT = "alsoshare:watch";

const envelopeSchema = z.object({ type: z.string().check(z.maxLength(64)), payload: z.unknown() });

/** `message` as one of the pushes `definitions` describes, or undefined if it is not exactly one. */
export function parsePush<D extends Definitions>(definitions: D, message: unknown): PushOf<D> | undefined {
  const envelope = envelopeSchema.safeParse(message);
  if (!envelope.success || !Object.hasOwn(definitions, envelope.data.type)) return undefined;
  const type = envelope.data.type as keyof D & string;
  const payload = (definitions[type] as z.ZodMiniType).safeParse(envelope.data.payload);
  return payload.success ? ({ type, payload: payload.data } as PushOf<D>) : undefined;
}

/**
 * A push to the composer content script, if it is one: only our own background (not a tab, not
 * another extension) may send it, and only in a known shape. Anything else is undefined.
 */
export function receiveTabPush(message: unknown, sender: MessageSender, ourId: string): TabPush | undefined {
  if (sender.id !== ourId || sender.tab) return undefined;
  return parsePush(tabPushes, message);
}
