/* mkdocs-material 9.8.1 partials/javascripts/content.html, moved into a file (overrides/partials/javascripts/content.html). */
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
