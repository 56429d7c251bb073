/* mkdocs-material 9.8.1 partials/javascripts/outdated.html, moved into a file (overrides/partials/javascripts/outdated.html). */
var el=document.querySelector("[data-md-component=outdated]"),base=new URL(document.currentScript.getAttribute("data-md-base"),location),outdated=__md_get("__outdated",sessionStorage,base);!0===outdated&&el&&(el.hidden=!1)
