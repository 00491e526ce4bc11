// The database's names, apart from its schema (zod, upgrades): a page that reads the store before
// anything else has loaded (lib/db/peek.ts) needs them and nothing more.

export const DB_NAME = "alsoshare";
/** The schema's version: UPGRADES (schema.ts) has one step per version, and a test holds them equal. */
export const DB_VERSION = 1;

/** The settings store's records: the settings themselves, and the new-posts watch's place beside them. */
export const SETTINGS_KEY = "current";
export const NEW_POSTS_KEY = "new-posts";
