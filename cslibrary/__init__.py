"""The build side of the playbook library: YAML model, validation and rendering.

Layers point one way: ``calculators`` (pure) ← ``cslibrary`` model and loader (typed,
validated) ← ``cslibrary.render`` (model → Markdown/HTML strings, no MkDocs) ← ``hooks/``.
"""
