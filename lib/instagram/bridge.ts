/**
 * The private channel from Instagram's JS world (MAIN) to our isolated world. Both scripts run at
 * document_start, before any page script, and hand over a MessagePort with synchronous DOM events:
 * whoever starts second completes the handshake, and the port is gone from the DOM before the page
 * runs. Anything that arrives later on these event names is the page's, and is ignored.
 */
export const PORT_EVENT = "alsoshare:bridge-port";
export const READY_EVENT = "alsoshare:bridge-ready";

/**
 * Whether our scripts run before the page's, as at a normal document_start. Firefox also injects
 * them into tabs already open when the add-on is installed, updated or enabled: the page's scripts
 * ran first there and may be listening, so no channel is offered or taken in such a tab.
 */
export function startedBeforePage(doc: Document): boolean {
  return doc.readyState === "loading" && doc.getElementsByTagName("script").length === 0;
}

/**
 * MAIN world: returns a function that sends one configure summary to the isolated world, or
 * undefined when the page's scripts ran before ours. `post` is MessagePort's own postMessage,
 * taken before the page could replace it.
 */
export function offerBridge(
  win: Window,
  post: MessagePort["postMessage"],
): ((summary: string) => void) | undefined {
  if (!startedBeforePage(win.document)) return undefined;
  const channel = new MessageChannel();
  const nonce = crypto.randomUUID();
  const handOver = () =>
    // Our isolated world takes the port by cancelling the event; nobody else can be listening yet.
    !win.dispatchEvent(
      new MessageEvent(PORT_EVENT, { data: nonce, ports: [channel.port2], cancelable: true }),
    );
  if (!handOver()) {
    const onReady = () => {
      if (handOver()) win.removeEventListener(READY_EVENT, onReady);
    };
    win.addEventListener(READY_EVENT, onReady);
  }
  return (summary) => Reflect.apply(post, channel.port1, [`{"nonce":"${nonce}","summary":${summary}}`]);
}
