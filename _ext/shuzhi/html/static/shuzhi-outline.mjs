// 述职报告汇编: each report's outline diagram (本篇结构), drawn by the site's own copy of
// mermaid (_static/mermaid/, from npm). Loaded only on pages with an outline; no network.
// On a narrow screen the outline starts closed (it stood about 520 px tall above the
// report's first sentence, its labels 6 px) and is drawn when first opened, at its own
// size in a box that scrolls sideways; on a wide screen it is open and drawn at once.
import mermaid from "./mermaid/mermaid.esm.min.mjs";

const NARROW = "(max-width: 767.98px)";

// A name for screen readers: the diagram as one image, named by its boxes (mermaid's own
// role description, "flowchart-v2", is English and says nothing).
function name(diagram) {
  const svg = diagram.querySelector("svg");
  if (!svg) return;
  const boxes = [...svg.querySelectorAll(".nodeLabel")].map((node) => node.textContent.trim()).filter(Boolean);
  svg.setAttribute("role", "img");
  svg.removeAttribute("aria-roledescription");
  svg.setAttribute("aria-label", "本篇结构图：" + boxes.join("；"));
}
async function draw(nodes) {
  await mermaid.run({ nodes });
  nodes.forEach(name);
}
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
      const onToggle = () => {
        if (!details.open) return;
        details.removeEventListener("toggle", onToggle);
        draw([diagram]);
      };
      details.addEventListener("toggle", onToggle);
    } else {
      now.push(diagram);
    }
  }
  if (now.length) await draw(now);
}
