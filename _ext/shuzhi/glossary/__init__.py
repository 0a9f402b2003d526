"""The glossary: its entries and their sources, loading them once per build, linking reports' mentions to them, the glossary page with backlinks, and its filter box."""
