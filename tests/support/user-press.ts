import { hearPresses, type Presses } from "@/lib/instagram/presses";

/**
 * A press as the user's own input makes one. A test DOM has no real input, so this one event is
 * marked trusted; a browser never lets a page script do that.
 */
export function userPress(target: EventTarget = document.body, type = "pointerdown"): void {
  const event = new Event(type, { bubbles: true, cancelable: true });
  Object.defineProperty(event, "isTrusted", { value: true });
  target.dispatchEvent(event);
}

/** The page's presses as our content script hears them, just after the user pressed (Create). */
export function afterUserPress(signal: AbortSignal, win: Window = window): Presses {
  const presses = hearPresses(win, signal);
  userPress(win.document.body);
  return presses;
}
