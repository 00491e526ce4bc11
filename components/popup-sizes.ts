// Apart from the popup's UI: the popup's first read of the store (entrypoints/popup-read.ts) starts
// before that UI has loaded.

/** The popup reads this many shares at first, and as many again for each "Show more". */
export const POPUP_PAGE = 10;
/** The popup shows this many of each linked Instagram account's newest posts. */
export const POPUP_POSTS = 3;
