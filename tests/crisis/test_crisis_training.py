"""The training command rebuilds the shipped model: same thresholds, same validation figures (within 0.02).

Needs the optional `train` extra (the dev extra pulls it in) and the labelled texts in ../shared/crisis-data,
which CI has beside the checkout; without either it says that it skipped.
"""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from bench.crisis_data import DATA_DIR, available

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(importlib.util.find_spec("sklearn") is None,
                    reason="training skipped: scikit-learn is not installed (pip install -e '.[train]')")
@pytest.mark.skipif(not available(), reason=f"training skipped: no labelled crisis data at {DATA_DIR}")
def test_the_training_command_reproduces_the_committed_model():
    done = subprocess.run([sys.executable, "bench/train_crisis.py", "--check"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "reproduced within tolerance" in done.stdout
