import preact from "@preact/preset-vite";
import { defineConfig } from "wxt";

// Firefox builds are MV3 too (`wxt build -b firefox --mv3`); one manifest shape for both browsers.
export default defineConfig({
  // Engineers working side by side build into their own folder; the default is .output.
  outDir: process.env.ALSOSHARE_OUT_DIR ?? ".output",
  modules: ["@wxt-dev/webextension-polyfill"],
  imports: false,
  // `npm run zip`: the store zips, and for Firefox the sources AMO's reviewers rebuild it from. Only what
  // that rebuild needs (README.md, "Building from the sources zip"); scripts/check-zips.ts proves it.
  zip: {
    artifactTemplate: "{{name}}-{{packageVersion}}-{{browser}}-{{manifestVersion}}.zip",
    includeSources: [
      "README.md",
      "package.json",
      "package-lock.json",
      "tsconfig.json",
      "wxt.config.ts",
      "assets/**",
      "components/**",
      "entrypoints/**",
      "lib/**",
      "public/**",
    ],
  },
  vite: () => ({ plugins: [preact()] }),
  hooks: {
    // Content scripts load in every instagram.com page, so they skip the 10 kB polyfill: Chrome's
    // MV3 `chrome` and Firefox's `browser` are both promise-based for the few calls they make.
    // They are also minified by terser, whose output gzips 4 % smaller than esbuild's here (842 bytes).
    "vite:build:extendConfig"(entrypoints, config) {
      if (!entrypoints.every((entrypoint) => entrypoint.type === "content-script")) return;
      config.build = { ...config.build, minify: "terser", terserOptions: { compress: { passes: 2 } } };
      config.plugins = [
        ...(config.plugins ?? []),
        {
          name: "alsoshare:native-browser-in-content-scripts",
          enforce: "pre",
          resolveId(id, importer) {
            if (id === "wxt/browser" || id === "@wxt-dev/webextension-polyfill/browser") {
              return this.resolve("@wxt-dev/browser", importer, { skipSelf: true });
            }
          },
        },
      ];
    },
  },
  manifest: ({ browser }) => ({
    name: "__MSG_extName__",
    description: "__MSG_extDescription__",
    default_locale: "en",
    permissions: ["alarms", "identity", "storage"],
    // Asked for from the options page only when the user turns notifications on.
    optional_permissions: ["notifications"],
    // The other services' hosts are asked for when the user links an account there, one server at
    // a time (a Mastodon instance, a Bluesky PDS, Threads' API): none is granted by installing.
    optional_host_permissions: ["https://*/*"],
    host_permissions: [
      "https://graph.facebook.com/*",
      // A reel's hosted file is handed to Facebook's upload host (DESIGN §1, Reels on Pages).
      "https://rupload.facebook.com/*",
      // When Facebook cannot fetch a post's media by URL, the queue downloads it from Instagram's
      // CDN and uploads the bytes itself (the `source` fallback, DESIGN §2).
      "https://*.cdninstagram.com/*",
      "https://*.fbcdn.net/*",
    ],
    content_security_policy: {
      extension_pages: "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    },
    // The toolbar's sizes; `icons` (16 to 128) WXT lists itself from public/icon/<size>.png.
    action: { default_title: "__MSG_extName__", default_icon: { 16: "icon/16.png", 32: "icon/32.png" } },
    ...(browser === "firefox" && {
      browser_specific_settings: {
        gecko: {
          id: "alsoshare@alsoshare.app",
          strict_min_version: "140.0",
          // Posts and Page tokens go to Facebook's Graph API, at the user's request.
          data_collection_permissions: { required: ["websiteContent", "authenticationInfo"] },
        },
        // data_collection_permissions came to Firefox for Android in 142.
        gecko_android: { strict_min_version: "142.0" },
      },
    }),
  }),
});
