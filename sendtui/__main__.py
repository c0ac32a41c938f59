"""`python -m sendtui` runs the command line."""

from sendtui.cli import main

raise SystemExit(main())
