// 述职报告汇编: each report's outline diagram (本篇结构), drawn by the site's own copy of
// mermaid (_static/mermaid/, from npm). Loaded only on pages with an outline; no network.
import mermaid from "./mermaid/mermaid.esm.min.mjs";

const diagrams = document.querySelectorAll("pre.shuzhi-outline:not([data-processed])");
if (diagrams.length) {
  let config = {};
  try {
    config = JSON.parse(diagrams[0].dataset.mermaidConfig || "{}");
  } catch (error) {
    console.warn("shuzhi-outline: invalid mermaid settings", error);
  }
  mermaid.initialize({ ...config, startOnLoad: false });
  await mermaid.run({ nodes: diagrams });
}
