/**
 * Styles inside our shadow roots: Instagram's look, light and dark, with no effect on the page.
 * Written compactly: this ships in the content script every instagram.com page loads.
 */
export const COMPOSER_CSS = `:host{all:initial;display:block;font:14px/1.4 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;
--fg:#000;--muted:#737373;--line:#dbdbdb;--bg:#fff;--accent:#0095f6;--link:#0064d1;--danger:#c62828;color:var(--fg)}
:host([data-theme=dark]){--fg:#f5f5f5;--muted:#a8a8a8;--line:#363636;--bg:#000;--link:#4cb5f9;--danger:#ff6b76}
.panel{border-top:1px solid var(--line);padding:12px 16px;background:var(--bg)}
.row{display:flex;align-items:center;justify-content:space-between;gap:8px;min-height:28px}
.label{font-weight:600}
.hint{color:var(--muted);font-size:12px;margin:4px 0 0}
.switch{position:relative;width:40px;height:24px;border:0;border-radius:12px;background:var(--line);cursor:pointer;padding:0;flex:none}
.switch[aria-checked=true]{background:var(--accent)}
.switch:disabled{opacity:.5;cursor:not-allowed}
.knob{position:absolute;top:3px;inset-inline-start:3px;width:18px;height:18px;border-radius:50%;background:#fff;transition:inset-inline-start .15s}
[aria-checked=true] .knob{inset-inline-start:19px}
:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
.link{border:0;background:none;color:var(--link);font:inherit;font-weight:600;cursor:pointer;padding:0}
.targets{border:0;margin:4px 0;padding:0;display:grid}
.targets label{display:flex;align-items:center;gap:6px;min-height:28px}
.targets input{width:20px;height:20px;margin:2px}
.caption{display:grid;gap:4px;margin-top:8px}
textarea{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:6px;resize:vertical}
.warning{color:var(--danger);font-size:12px;margin:4px 0 0}
.status{display:flex;align-items:center;gap:12px;max-width:480px;padding:10px 14px;border-radius:8px;background:#262626;color:#f5f5f5;box-shadow:0 4px 12px #0004}
.status a,.status .link{color:#4cb5f9}
.close{border:0;background:none;color:inherit;font-size:18px;cursor:pointer;padding:0 4px}
.pill{border:0;border-radius:8px;background:var(--accent);color:#fff;font:inherit;font-weight:600;padding:7px 16px;cursor:pointer}
.pill:disabled{opacity:.5;cursor:not-allowed}
.post-share{border:1px solid var(--line);border-radius:8px;background:var(--bg);max-width:470px}
.actions{justify-content:flex-start;padding:0 16px 12px}`;
