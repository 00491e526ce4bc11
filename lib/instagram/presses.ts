/** The user's own presses on a page: real input only, so a page script cannot make one. */
export interface Presses {
  /** When the last press came (`Date.now()`), or undefined before the first. */
  readonly lastAt: number | undefined;
  /** Hears every press from now on, until `signal` aborts. */
  listen(listener: (event: Event) => void, signal: AbortSignal): void;
}

// Pointers (mouse, touch, pen) press down before they click; assistive technologies only click.
const PRESS_EVENTS = ["pointerdown", "click", "keydown"];

/**
 * Hears presses on the window's capture phase, ahead of the page's own listeners. Taken at
 * document_start, before any page script can register a window listener that stops them.
 */
export function hearPresses(win: Window, signal: AbortSignal): Presses {
  const listeners = new Set<(event: Event) => void>();
  let lastAt: number | undefined;
  const onEvent = (event: Event) => {
    if (!event.isTrusted) return;
    lastAt = Date.now();
    for (const listener of listeners) listener(event);
  };
  for (const type of PRESS_EVENTS) win.addEventListener(type, onEvent, { capture: true, signal });
  return {
    get lastAt() {
      return lastAt;
    },
    listen(listener, until) {
      if (until.aborted) return;
      listeners.add(listener);
      until.addEventListener("abort", () => listeners.delete(listener), { once: true });
    },
  };
}
