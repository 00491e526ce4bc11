// The architecture's import rules (docs/architecture.md), checked by `npm run depcruise`. Each
// rule's comment is the reason a failure prints. Type-only imports count here: naming another
// part's types is depending on it. What a bundle really ships is checked by
// .dependency-cruiser.runtime.cjs.

const PRODUCT = "^(lib|components|entrypoints)/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment:
        "No circular imports: two modules that import each other are one tangle that can be neither read nor tested alone.",
      from: {},
      to: { circular: true },
    },
    {
      name: "db-owns-storage-alone",
      severity: "error",
      comment:
        "lib/db is the only owner of IndexedDB and knows nothing above it: it stores plain records, and merges, settings rules and validation come from its callers.",
      from: { path: "^lib/db/" },
      to: { path: PRODUCT, pathNot: ["^lib/db/", "^lib/instagram/post\\.ts$"] },
    },
    {
      name: "db-names-post-types-only",
      severity: "error",
      comment:
        "A job record holds Instagram's parsed post, whose shape lib/instagram/post owns: lib/db may name that type (import type), never run that module.",
      from: { path: "^lib/db/" },
      to: { path: "^lib/instagram/post\\.ts$", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "services-do-no-storage",
      severity: "error",
      comment:
        "A service's module (lib/facebook, lib/bluesky, lib/mastodon, lib/threads, lib/tumblr) talks to its service and stores nothing: it may name the records' and outcomes' types, and what it must keep goes through the queue's Attempt or its callers in lib/handlers.",
      from: { path: "^lib/(facebook|bluesky|mastodon|threads|tumblr)/" },
      to: {
        path: ["^lib/(db|settings|queue|data)/", "^node_modules/idb/"],
        dependencyTypesNot: ["type-only"],
      },
    },
    {
      name: "services-call-no-handler",
      severity: "error",
      comment: "A service's module is called by the handlers and the queue, never the other way round.",
      from: { path: "^lib/(facebook|bluesky|mastodon|threads|tumblr)/" },
      to: { path: "^lib/handlers/" },
    },
    {
      name: "services-stand-apart",
      severity: "error",
      comment:
        "Each destination is its own fenced module: adding or changing one service touches no other service's code (issue 15). What they share lives in lib/destinations.",
      from: { path: "^lib/(facebook|bluesky|mastodon|threads|tumblr)/" },
      to: { path: "^lib/(facebook|bluesky|mastodon|threads|tumblr)/", pathNot: "^lib/$1/" },
    },
    {
      name: "queue-knows-no-service",
      severity: "error",
      comment:
        "lib/queue runs every destination's jobs through the Destination interface: it never imports a service's module, so a new service needs no change to the queue.",
      from: { path: "^lib/(queue|destinations)/" },
      to: { path: "^lib/(facebook|bluesky|mastodon|threads|tumblr)/" },
    },
    {
      name: "data-is-pure",
      severity: "error",
      comment:
        "lib/data (export/import format, diagnostics report) is pure: it may name the stored records' types, but reading and writing them is lib/db's, called by lib/handlers.",
      from: { path: "^lib/data/" },
      to: {
        path: ["^lib/(db|queue|handlers|facebook)/", "^lib/settings/store\\.ts$", "^node_modules/idb/"],
        dependencyTypesNot: ["type-only"],
      },
    },
    {
      name: "messages-carry-no-storage",
      severity: "error",
      comment:
        "lib/messages is bundled into every page and content script: its schemas and views may name the records' types, never run storage, the queue or the handlers.",
      from: { path: "^lib/messages/" },
      to: {
        path: ["^lib/(db|queue|handlers)/", "^lib/settings/store\\.ts$", "^node_modules/idb/"],
        dependencyTypesNot: ["type-only"],
      },
    },
    {
      name: "components-speak-the-protocol",
      severity: "error",
      comment:
        "Components are views (props in, callbacks out) and know the background only through lib/messages, plus the caption preview's pure rules (lib/caption) and lib/i18n: storage, Graph, queue and settings can change without touching a view.",
      from: { path: "^components/" },
      to: { path: "^(lib|entrypoints)/", pathNot: ["^lib/(messages|caption)/", "^lib/i18n\\.ts$"] },
    },
    {
      name: "components-call-no-browser-api",
      severity: "error",
      comment:
        "No browser.* in components, and no package but Preact: the entrypoint passes in what a view needs, so views render the same in tests and in every page.",
      from: { path: "^components/" },
      to: { path: "^node_modules/", pathNot: "^node_modules/preact/" },
    },
    {
      name: "parts-that-stand-alone",
      severity: "error",
      comment:
        "lib/caption (caption rules) and lib/instagram (what Instagram's page shows and sends) are shared by the content scripts and the background, so they import no other part.",
      from: { path: "^lib/(caption|instagram)/" },
      to: { path: PRODUCT, pathNot: "^lib/$1/" },
    },
    {
      name: "queue-is-driven-by-handlers",
      severity: "error",
      comment:
        "lib/queue runs jobs; lib/handlers answer requests and drive the queue. The queue importing a handler or the router would make the two one tangle.",
      from: { path: "^lib/queue/" },
      to: { path: ["^lib/handlers/", "^lib/messages/router\\.ts$"] },
    },
    {
      name: "reads-only-read",
      severity: "error",
      comment:
        "lib/reads assembles what a page draws from lib/db's read functions, the settings schema and the views: nothing in it writes or decides, so the handlers, the queue, the services and lib/settings/store stay out.",
      from: { path: "^lib/reads/" },
      to: {
        path: PRODUCT,
        pathNot: ["^lib/reads/", "^lib/db/", "^lib/settings/schema\\.ts$", "^lib/messages/views\\.ts$"],
      },
    },
    {
      name: "pages-read-the-store-through-reads",
      severity: "error",
      comment:
        "Pages are views over the background's answers: the popup reads the store only through lib/reads (to paint while a stopped background starts), and no page writes it.",
      from: { path: "^entrypoints/(popup|options|welcome)(/|-read\\.ts$)" },
      to: { path: "^lib/db/" },
    },
    {
      name: "handlers-only-in-background",
      severity: "error",
      comment:
        "lib/handlers is the background's logic: only the background entrypoint wires it, so no page or content script bundles it.",
      from: { pathNot: "^(entrypoints/background/|lib/handlers/)" },
      to: { path: "^lib/handlers/" },
    },
  ],
  options: {
    doNotFollow: { path: "^node_modules/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    webpackConfig: { fileName: ".dependency-cruiser.resolve.cjs" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
      mainFields: ["module", "main"],
    },
  },
};
