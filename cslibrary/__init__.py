"""The playbook library above the calculators: YAML model, batch scorer, pages and site.

Layers point one way; each imports only the layers before it:

* :mod:`calculators` — the formulas, standard library only;
* :mod:`cslibrary.model` — the typed YAML model, its loader and cross-checks; and
  :mod:`cslibrary.batch` — the pandas batch scorer behind ``python -m calculators
  score|backtest`` (it reads the model; the model never imports it);
* :mod:`cslibrary.render` — model → Markdown/HTML strings, no MkDocs;
* :mod:`cslibrary.site` — the MkDocs side.

``python -m cslibrary`` (:mod:`cslibrary.cli`) validates the library and regenerates the
files derived from it.
"""
