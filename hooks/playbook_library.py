"""MkDocs hook: hands every build event to the library's plugin object (:mod:`cslibrary.site.plugin`).

No logic lives here; see the plugin for what each event does.
"""

from cslibrary.site.plugin import LibraryPlugin

_plugin = LibraryPlugin()

on_startup = _plugin.on_startup
on_config = _plugin.on_config
on_files = _plugin.on_files
on_nav = _plugin.on_nav
on_page_markdown = _plugin.on_page_markdown
on_page_content = _plugin.on_page_content
on_page_context = _plugin.on_page_context
on_post_page = _plugin.on_post_page
on_post_build = _plugin.on_post_build
