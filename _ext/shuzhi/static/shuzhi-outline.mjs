// 述职报告汇编: each report's outline diagram (本篇结构), drawn by the site's own copy of
// mermaid (_static/mermaid/, from npm). Loaded only on pages with an outline; no network.
// On a narrow screen the outline starts closed (it stood about 520 px tall above the
// report's first sentence, its labels 6 px) and is drawn when first opened, at its own
// size in a box that scrolls sideways; on a wide screen it is open and drawn at once.
import mermaid from "./mermaid/mermaid.esm.min.mjs";

const NARROW = "(max-width: 767.98px)";
const diagrams = [...document.querySelectorAll("pre.shuzhi-outline:not([data-processed])")];
if (diagrams.length) {
  let config = {};
  try {
    config = JSON.parse(diagrams[0].dataset.mermaidConfig || "{}");
  } catch (error) {
    console.warn("shuzhi-outline: invalid mermaid settings", error);
  }
  mermaid.initialize({ ...config, startOnLoad: false });
  const narrow = window.matchMedia(NARROW).matches;
  const now = [];
  for (const diagram of diagrams) {
    const details = diagram.closest("details.shuzhi-outline-details");
    if (details && narrow) {
      details.open = false;
      // Not { once: true }: closing it here fires a toggle event too.
      const draw = () => {
        if (!details.open) return;
        details.removeEventListener("toggle", draw);
        mermaid.run({ nodes: [diagram] });
      };
      details.addEventListener("toggle", draw);
    } else {
      now.push(diagram);
    }
  }
  if (now.length) await mermaid.run({ nodes: now });
}
