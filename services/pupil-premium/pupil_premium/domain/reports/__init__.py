"""Pure report computations over pupil-premium events: what the read models will serve.

Budget position, requests by status, drift and delay, the weekly tracking sheet, the quarterly
finance report and the impact report, each computed from a list of events (or from rows folded
from them), with CSV rendering for downloads.
"""
