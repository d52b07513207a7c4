"""Weighting and design-based estimation: the survey design object and its estimators.

``SurveyDesign`` carries weights, strata, PSUs and FPC; estimators are verbs on
it (``mean``, ``total``, ``proportion``, ``count``, ``ratio``) returning tidy
tables with SE, CI, CV, design effect and n, checked against R's ``survey``.
"""

from analysis.estimation.design import SurveyDesign

__all__ = ["SurveyDesign"]
