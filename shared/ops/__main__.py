"""``python -m shared.ops``: see ``shared.ops.command``."""

from shared.ops.command import main

raise SystemExit(main())
