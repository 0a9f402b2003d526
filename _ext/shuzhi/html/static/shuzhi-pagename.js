/* 述职报告汇编: the page's name for the theme (DOCUMENTATION_OPTIONS.pagename), from this tag's
 * data-pagename. The theme writes it as an inline script that differs on every page, which
 * the server's Content-Security-Policy would have to allow by one hash per page. */
DOCUMENTATION_OPTIONS.pagename = document.currentScript.dataset.pagename;
