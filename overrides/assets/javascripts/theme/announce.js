/* mkdocs-material 9.8.1 partials/javascripts/announce.html, moved into a file (overrides/partials/javascripts/announce.html). */
var el=document.querySelector("[data-md-component=announce]");if(el){var content=el.querySelector(".md-typeset");__md_hash(content.innerHTML)===__md_get("__announce")&&(el.hidden=!0)}
