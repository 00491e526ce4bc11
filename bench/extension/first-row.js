// Put first in the head of the bench build's popup.html and floor.html, before any of their scripts:
// when the first share row enters the DOM, notes the start of the next frame (the one that paints
// it), in ms since navigation start.
const firstRow = new MutationObserver(() => {
  if (!document.querySelector("li.job")) return;
  firstRow.disconnect();
  requestAnimationFrame(() => {
    window.__alsoshareFirstRowMs = performance.now();
  });
});
firstRow.observe(document, { childList: true, subtree: true });
