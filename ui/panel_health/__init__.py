"""The panel health page's tabs (:mod:`ui.panel_health_page` draws them and the headline):
waves, attrition, replacement, composition and representativeness."""
