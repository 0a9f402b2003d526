"""A page whose mermaid diagram does not parse: the LaTeX build must fail under -W."""

import os
from pathlib import Path

#: The repository (its node_modules and docs/), also from a copy of this root (see base_conf.py).
REPO = Path(os.environ.get("SHUZHI_TEST_ROOTS", Path(__file__).resolve().parent.parent)).parent.parent

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
