"""The design-based estimation engine, pure functions of DataFrames: the survey design
object and its estimators, replicate designs, quantiles, calibration, crosstabs with
Rao–Scott tests, design-based regression and differences — checked against R's ``survey``.
"""
