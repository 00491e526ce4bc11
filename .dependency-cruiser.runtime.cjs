// What the content scripts really ship (docs/architecture.md): only the imports left after
// compiling, so a type-only import, which ships nothing, does not count. Shares the options of
// .dependency-cruiser.cjs, which checks the import rules.

const { options } = require("./.dependency-cruiser.cjs");

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "content-scripts-never-reach-background-code",
      severity: "error",
      comment:
        "Content scripts run inside instagram.com: storage, tokens, the Graph client, the queue and the handlers live in the background alone, reached only through lib/messages requests.",
      from: { path: "^(entrypoints/(composer|network)\\.content/|lib/instagram/)" },
      to: {
        reachable: true,
        path: ["^lib/(db|queue|facebook|handlers)/", "^lib/settings/store\\.ts$", "^node_modules/idb/"],
      },
    },
    {
      name: "main-world-script-ships-the-bridge-only",
      severity: "error",
      comment:
        "The network observer runs in Instagram's own JS world (MAIN), where browser.* does not exist and page scripts can tamper with anything: it ships the bridge and the configure parser, nothing else.",
      from: { path: "^entrypoints/network\\.content/" },
      to: {
        reachable: true,
        pathNot: [
          "^entrypoints/network\\.content/",
          "^lib/instagram/(bridge|configure)\\.ts$",
          "^node_modules/wxt/dist/utils/define-content-script\\.mjs$",
        ],
      },
    },
    {
      name: "content-scripts-ship-no-zod",
      severity: "error",
      comment:
        "Every instagram.com page loads the content scripts, so they stay small (bench: 20 kB gzip): page data is read with zod in the background (instagram.readPublish, instagram.readMedia), and the one push a tab hears is checked by hand (lib/messages/tab-push.ts).",
      from: { path: "^entrypoints/(composer|network)\\.content/" },
      to: { reachable: true, path: "^node_modules/zod/" },
    },
    {
      name: "popup-first-read-ships-idb-alone",
      severity: "error",
      comment:
        "The popup's first rows wait on its own read of the store, which starts before the rest of the popup loads (entrypoints/popup-read.ts): that read reaches idb and the database's names, not zod, Preact or the schema.",
      from: {
        path: "^(entrypoints/popup-read|lib/reads/stored-popup|lib/db/(peek|names)|components/popup-sizes)\\.ts$",
      },
      to: {
        reachable: true,
        pathNot: [
          "^(lib/(reads/stored-popup|db/(peek|names))|components/popup-sizes)\\.ts$",
          "^node_modules/idb/",
          "^node_modules/wxt/dist/utils/define-unlisted-script\\.mjs$",
        ],
      },
    },
  ],
  options: { ...options, tsPreCompilationDeps: false },
};
