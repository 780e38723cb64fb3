"""mkdocs-seml-plugin: the SE-ML reading list as categorized link tables in MkDocs pages."""

__version__ = "0.1.0"
