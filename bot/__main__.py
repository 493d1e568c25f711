"""``python -m bot`` is the ``classbot`` command."""

from bot.cli.main import main

raise SystemExit(main())
