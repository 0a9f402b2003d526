"""Pages built from every report's record: the catalogue, the overview, the 待补充 list, each report's card and outline, a unit's reports across years, and when these pages are rewritten."""
