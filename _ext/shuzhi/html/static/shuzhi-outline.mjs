// 述职报告汇编: each report's outline diagram (本篇结构), drawn by the site's own copy of
// mermaid (_static/mermaid/, from npm) when a reader first opens it. The outline starts
// closed on every screen, and mermaid (about 230 KB) is imported only then: a report page
// costs the same whether or not anyone looks at its outline. No network beyond the site.

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

let loaded = null;
function load(config) {
  loaded ??= import("./mermaid/mermaid.esm.min.mjs").then(({ default: mermaid }) => {
    mermaid.initialize({ ...config, startOnLoad: false });
    return mermaid;
  });
  return loaded;
}

async function draw(diagram, config) {
  const mermaid = await load(config);
  await mermaid.run({ nodes: [diagram] });
  name(diagram);
}

for (const diagram of document.querySelectorAll("pre.shuzhi-outline:not([data-processed])")) {
  let config = {};
  try {
    config = JSON.parse(diagram.dataset.mermaidConfig || "{}");
  } catch (error) {
    console.warn("shuzhi-outline: invalid mermaid settings", error);
  }
  const details = diagram.closest("details.shuzhi-outline-details");
  if (!details) {
    draw(diagram, config);
    continue;
  }
  const onToggle = () => {
    if (!details.open) return;
    details.removeEventListener("toggle", onToggle);
    draw(diagram, config);
  };
  details.addEventListener("toggle", onToggle);
  if (details.open) onToggle();
}
