"""The explorer page's tabs (:mod:`ui.explore_page` draws them): indicators with their charts
and trends, crosstabs, regressions and comparisons, and the helpers they share."""
