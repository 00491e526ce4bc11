import type { Browser } from "wxt/browser";

export type Sender = Browser.runtime.MessageSender;

/** Our extension as the router under test knows it. */
export const OUR_ID = "ourextensionid";
export const OUR_ORIGIN = `chrome-extension://${OUR_ID}`;
export const OUR_IDENTITY = { id: OUR_ID, origin: OUR_ORIGIN };

/** A message from one of our own pages. */
export const pageSender = (page = "popup.html"): Sender => ({ id: OUR_ID, url: `${OUR_ORIGIN}/${page}` });

/** A message from our composer content script in Instagram's top frame (overrides forge it). */
export const contentSender = (overrides: Partial<Sender> = {}): Sender => ({
  id: OUR_ID,
  url: "https://www.instagram.com/",
  tab: { id: 7 } as Sender["tab"],
  frameId: 0,
  ...overrides,
});
