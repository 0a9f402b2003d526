"""The review cycle: each report's review record (点评意见, 问题清单) and the 对照 view and tracking of rectification from one year to the next."""
