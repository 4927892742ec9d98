"""`python -m tui` runs the same entry point as the `bj30` console script."""

from tui.cli import main

raise SystemExit(main())
