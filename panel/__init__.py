"""The household panel: recruitment, roster status machine and matched replacement.

Pure functions of pandas DataFrames; persistence, waves and pages come later.
"""
