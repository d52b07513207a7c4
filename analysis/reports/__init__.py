"""Managers' reports: what a report says (content, methodology, question results), and
the Excel workbook, the Korean PDF with its charts and the CSV bundle that say it.
"""
