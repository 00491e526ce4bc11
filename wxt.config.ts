import preact from "@preact/preset-vite";
import { defineConfig } from "wxt";

// Firefox builds are MV3 too (`wxt build -b firefox --mv3`); one manifest shape for both browsers.
export default defineConfig({
  // Engineers working side by side build into their own folder; the default is .output.
  outDir: process.env.ALSOSHARE_OUT_DIR ?? ".output",
  modules: ["@wxt-dev/webextension-polyfill"],
  imports: false,
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser }) => ({
    name: "__MSG_extName__",
    description: "__MSG_extDescription__",
    default_locale: "en",
    permissions: ["alarms"],
    host_permissions: ["https://graph.facebook.com/*"],
    content_security_policy: {
      extension_pages: "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    },
    action: { default_title: "__MSG_extName__" },
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
