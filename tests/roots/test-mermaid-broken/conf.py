"""A page whose mermaid diagram does not parse: the LaTeX build must fail under -W."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

extensions = ["myst_parser", "sphinxcontrib.mermaid"]
language = "zh_CN"
latex_engine = "xelatex"
# As in the site's conf.py: mermaid-cli in Debian's Chromium, cropped to size.
mermaid_cmd = str(REPO / "node_modules" / ".bin" / "mmdc")
mermaid_params = [
    "--puppeteerConfigFile", str(REPO / "docs" / "puppeteer-config.json"),
    "--configFile", str(REPO / "docs" / "mermaid-config.json"),
    "--pdfFit",
]
