"""The Textual user interface. The only package (with the CLI) that imports Textual."""
