import { startStandins } from "../support/standins.ts";
import { launchChromium, launchFirefox, waitFor } from "../support/browsers.ts";
import { openCaptionStep, pressShare, playwrightDriver, puppeteerDriver } from "../support/composer-driver.ts";
const st = await startStandins();
st.graph.addPage({ id: "1001", name: "Acme Bakery", token: "EAAGpagetoken0123456789abcdef" });
const which = process.argv[2];
const h = which === "ff" ? await launchFirefox({ extensionDir: "/tmp/build-copy/firefox-mv3", standins: st }) : await launchChromium({ extensionDir: "/tmp/build-copy/chrome-mv3", standins: st });
try {
  const opt = await h.openExtensionPage("options.html");
  const od = which === "ff" ? puppeteerDriver(opt) : playwrightDriver(opt);
  await new Promise(r => setTimeout(r, 1500));
  console.log("options text:", (await od.evaluate("document.body.innerText")).slice(0, 400));
  const labelled = await od.evaluate(`(() => { const l = [...document.querySelectorAll('label')].find(l => l.textContent.includes('Page access token')); return l ? (l.htmlFor || 'nested') : null })()`);
  console.log("label", labelled);
  await od.type(labelled && labelled !== 'nested' ? `#${labelled}` : "input", "EAAGpagetoken0123456789abcdef");
  await od.click("button", "Link");
  await new Promise(r => setTimeout(r, 1500));
  console.log("after link:", (await od.evaluate("document.body.innerText")).slice(0, 400));
  const page = await h.page();
  const d = which === "ff" ? puppeteerDriver(page) : playwrightDriver(page);
  const t = await openCaptionStep(d, "");
  await d.type("[role=textbox]", "Real build test");
  await new Promise(r => setTimeout(r, 1000));
  const sw = await d.evaluate(`(() => { const out = []; for (const el of document.querySelectorAll('[role=dialog] *')) if (el.shadowRoot) out.push(...[...el.shadowRoot.querySelectorAll('[role=switch]')].map(s => s.outerHTML.slice(0, 200))); return out; })()`);
  console.log("switches in shadow:", sw);
  if (which === "ff") {
    const handle = await page.evaluateHandle(() => { for (const el of document.querySelectorAll('[role=dialog] *')) if (el.shadowRoot) { const s = el.shadowRoot.querySelector('[role=switch]'); if (s) return s; } return null; });
    await handle.asElement()?.click();
  } else {
    await page.locator("[role=dialog] [role=switch]").first().click();
  }
  await new Promise(r => setTimeout(r, 500));
  console.log("after click:", await d.evaluate(`(() => { const out = []; for (const el of document.querySelectorAll('[role=dialog] *')) if (el.shadowRoot) out.push(el.shadowRoot.innerHTML.slice(0, 1500)); return out; })()`));
  console.log("outcome:", await pressShare(d, t));
  await waitFor(() => st.graph.posts.length > 0, "graph post", 15000).catch(e => console.log(e.message));
  await new Promise(r => setTimeout(r, 1500));
  console.log("ig posts", st.instagram.posts.length, "graph requests", st.graph.requests.map(r => r.method + " " + r.path + " " + JSON.stringify(r.params).slice(0, 200)));
  console.log("graph posts", st.graph.posts, "cdn bytes", st.instagram.cdnBytesServed);
  console.log("status text:", await d.evaluate(`(() => { const out = []; for (const el of document.querySelectorAll('*')) if (el.shadowRoot) out.push(...[...el.shadowRoot.querySelectorAll('[role=status]')].map(s => s.textContent)); return out; })()`));
} catch (e) { console.log("ERR", e.message); }
console.log("logs:", h.logs.filter(l => l.type !== "debug").slice(-15).map(l => `${l.type} ${l.source.slice(0,60)} ${l.text.slice(0,200)}`).join("\n"));
await h.close(); await st.stop();
