"""The pupil-premium API tests import their givens (``pp_api``) from this folder."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
