"""The pupil-premium unit tests import their givens (``pp_builders``, ``pp_scenario``) from this folder."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
