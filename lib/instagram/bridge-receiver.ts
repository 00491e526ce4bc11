import { PORT_EVENT, READ_SIGNAL, READY_EVENT, startedBeforePage } from "./bridge";

/** The isolated world's end of the channel. */
export interface AcceptedBridge {
  /** False when the page's scripts ran before ours, and so no channel can be trusted in this tab. */
  open: boolean;
  /** Tells the network observer to read (the user consented) or to stop; off until told. */
  setReading(on: boolean): void;
}

/**
 * Isolated world: takes the first port offered and, while reading is on, calls `onSummary` for each
 * summary that carries this load's nonce. The summary is still the page's word, hostile like
 * everything from the page: the background reads its shape (readPublish). The port is taken at
 * document_start whatever the consent (taken later, a page script could take it first); the
 * network observer reads nothing until `setReading(true)`.
 */
export function acceptBridge(
  win: Window,
  onSummary: (summary: unknown) => void,
  signal: AbortSignal,
): AcceptedBridge {
  let port: MessagePort | undefined;
  let reading = false;
  const tell = () => port?.postMessage(reading ? READ_SIGNAL : "stop");
  const setReading = (on: boolean) => {
    reading = on;
    tell();
  };
  if (!startedBeforePage(win.document)) return { open: false, setReading };
  const onPort = (event: Event) => {
    const offered = event instanceof MessageEvent ? event.ports[0] : undefined;
    const nonce = event instanceof MessageEvent ? event.data : undefined;
    if (!offered || typeof nonce !== "string") return;
    event.preventDefault();
    win.removeEventListener(PORT_EVENT, onPort);
    port = offered;
    offered.onmessage = (message) => {
      const summary = reading ? summaryOf(message.data, nonce) : undefined;
      if (summary !== undefined) onSummary(summary);
    };
    if (reading) tell();
    signal.addEventListener("abort", () => offered.close(), { once: true });
  };
  // Only the first offer is taken. Both scripts run before any page script, so the first offer is
  // the network observer's, whichever of the two started first; any later one is a forgery.
  win.addEventListener(PORT_EVENT, onPort);
  win.dispatchEvent(new Event(READY_EVENT));
  return { open: true, setReading };
}

/** The summary in one of the observer's messages, if it carries this load's nonce. */
function summaryOf(data: unknown, nonce: string): unknown {
  if (typeof data !== "string" || data.length > 1_000_000) return undefined;
  try {
    const message: unknown = JSON.parse(data);
    if (typeof message !== "object" || message === null || !("nonce" in message) || message.nonce !== nonce) {
      return undefined;
    }
    return "summary" in message ? message.summary : undefined;
  } catch {
    return undefined;
  }
}
