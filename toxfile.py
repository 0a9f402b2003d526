"""tox's inline plugin for this project: say how to get an interpreter the test matrix lacks.

tox.ini sets ``skip_missing_interpreters = true``, so that ``tox`` on a machine with only
Debian's Python 3.11 runs what it can; tox then reports the skipped environment, and this
hook adds which Python it needs and how to install it. CI sets
``TOX_SKIP_MISSING_INTERPRETERS=false`` (.ci/run): a missing interpreter fails there.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess

from tox.plugin import impl
from tox.tox_env.api import ToxEnv
from tox.tox_env.runner import RunToxEnv

_LOGGER = logging.getLogger(__name__)
_VERSION = re.compile(r"^(?:c?py|c?python)(\d)\.?(\d+)$")


def _runs(version: str) -> bool:
    """Whether ``python<version>`` is on the PATH and starts (a pyenv shim may not)."""
    exe = shutil.which(f"python{version}")
    if exe is None:
        return False
    return subprocess.run([exe, "-c", ""], capture_output=True, check=False).returncode == 0


@impl
def tox_env_teardown(tox_env: ToxEnv) -> None:
    if not isinstance(tox_env, RunToxEnv) or tox_env.env_python().exists():
        return
    for spec in tox_env.conf["base_python"]:
        match = _VERSION.match(spec)
        if match is None:
            continue
        version = f"{match[1]}.{match[2]}"
        if not _runs(version):
            _LOGGER.warning(
                "未找到 Python %s（python%s），%s 没有运行。安装后再运行 tox（或 tox -e %s）："
                "例如用 pyenv 安装（pyenv install %s），再运行一次 sh .ci/bootstrap，让 tox 找到它。"
                "详见 README 的“快速开始”。",
                version, version, tox_env.name, tox_env.name, version,
            )
        return
