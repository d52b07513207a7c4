"""Public-use microdata: disclosure control (rules, recodes, k-anonymity, risk),
keyed pseudonyms, and the release file with its codebook.
"""
