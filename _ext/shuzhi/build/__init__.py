"""The Sphinx side every feature shares: configuration, the domain that holds the records, reading a report, the findings it reports, and the event that fills pages before references are resolved."""
