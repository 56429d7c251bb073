"""MkDocs hooks: wire MkDocs events to the library's loader and renderer (glue only)."""
