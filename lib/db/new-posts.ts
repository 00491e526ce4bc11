import * as z from "zod/mini";
import { NEW_POSTS_KEY } from "./names";
import { type Database, openDatabase } from "./open";

/** The posts the user published from the composer with the switch off: never shared by the watch. */
const DECLINED_KEPT = 200;

const stateSchema = z.object({
  /** Per Instagram account: the newest post seen (its time, and the ids at that time). */
  accounts: z.record(z.string(), z.object({ since: z.number(), ids: z.array(z.string()) })),
  declined: z.array(z.string()),
  lastCheckedAt: z.optional(z.number()),
  lastError: z.optional(z.string()),
});

export type NewPostsState = z.infer<typeof stateSchema>;

const FRESH: NewPostsState = { accounts: {}, declined: [] };

/**
 * The watch's record. One that cannot be read starts afresh, which is safe: a fresh start shares
 * nothing, it only records where to begin.
 */
export async function readNewPostsState(db?: Database): Promise<NewPostsState> {
  return newPostsStateOf(await (db ?? (await openDatabase())).get("settings", NEW_POSTS_KEY));
}

/** The watch's record as stored, checked. */
export function newPostsStateOf(stored: unknown): NewPostsState {
  const parsed = stateSchema.safeParse(stored);
  return parsed.success ? parsed.data : FRESH;
}

/** Changes the record in one transaction, so a check and a decline never undo each other. */
export async function updateNewPostsState(update: (state: NewPostsState) => NewPostsState): Promise<void> {
  const db = await openDatabase();
  const tx = db.transaction("settings", "readwrite", { durability: "strict" });
  const next = update(newPostsStateOf(await tx.store.get(NEW_POSTS_KEY)));
  await Promise.all([tx.store.put(next, NEW_POSTS_KEY), tx.done]);
}

/** Remembers a post the user chose not to share, the newest `DECLINED_KEPT` of them. */
export function withDeclined(state: NewPostsState, pk: string): NewPostsState {
  if (state.declined.includes(pk)) return state;
  return { ...state, declined: [...state.declined, pk].slice(-DECLINED_KEPT) };
}
