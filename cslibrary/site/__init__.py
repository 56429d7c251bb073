"""Everything that knows MkDocs or Material: the plugin object, its options, the generated
pages as MkDocs files, search entries, the calculators' runtime files.

The layers below (:mod:`calculators`, :mod:`cslibrary.model`, :mod:`cslibrary.render`) never
import MkDocs; a move to another generator rewrites this package only (see
``docs/guides/deploy.md``). ``hooks/playbook_library.py`` is the shim MkDocs loads.
"""
