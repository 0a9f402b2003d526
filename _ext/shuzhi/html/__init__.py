"""The HTML site: the sidebar's navigation, static assets and icons, the Content-Security-Policy, and the build's memory and template caches."""
