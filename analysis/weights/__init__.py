"""Weights: the weighting steps (base, nonresponse, calibration, trimming), the Seoul
Survey's stored weights versions, and a panel wave's calibration replayed for estimation.
"""
