import * as z from "zod/mini";
import { settingsSchema } from "../settings/schema";
import { accountViewSchema, jobViewSchema } from "./views";

const empty = z.strictObject({});

/**
 * What the background tells our open pages (popup, options) without being asked, over their watch
 * port, in the same `{ type, payload }` envelope as a request. Every page parses a push with these
 * schemas and drops anything else. (The Instagram tab's one push is in tab-push.ts.)
 */
export const pagePushes = {
  "job.changed": z.strictObject({ job: jobViewSchema }),
  "accounts.changed": z.strictObject({ accounts: z.array(accountViewSchema) }),
  "settings.changed": z.strictObject({ settings: settingsSchema }),
  /** Everything stored was replaced (an import, a delete): read it all again. */
  "data.replaced": empty,
} as const;

type Definitions = Record<string, z.ZodMiniType>;
type PushOf<D extends Definitions> = { [T in keyof D]: { type: T; payload: z.infer<D[T]> } }[keyof D];

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
