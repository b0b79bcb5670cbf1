import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


@pytest.fixture
def kata_home(tmp_path, monkeypatch):
    """An empty workspace selected through KATA_HOME."""
    home = tmp_path / "ws"
    monkeypatch.setenv("KATA_HOME", str(home))
    return home
