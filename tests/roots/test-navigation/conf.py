# The sidebar's navigation on its own (shuzhi.html.navigation), with the site's theme and sidebar.
# The test writes the reports; max_items is small so that a dozen reports make a long list.
extensions = ["myst_parser", "shuzhi.html.navigation"]
language = "zh_CN"
html_theme = "sphinx_book_theme"
html_theme_options = {"home_page_in_toc": True}
html_sidebars = {"**": ["navbar-logo.html", "search-button-field.html", "shuzhi-sidebar-nav.html"]}
html_context = {"default_mode": "light"}
shuzhi_nav_max_items = 4
