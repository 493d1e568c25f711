"""``python -m bot`` is the ``classbot`` command."""

from bot.cli import main

raise SystemExit(main())
