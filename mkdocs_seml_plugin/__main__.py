"""`python -m mkdocs_seml_plugin`: the `seml` command."""

from .cli import main

raise SystemExit(main())
