"""What a questionnaire is and how it is read: the model, the YAML loader and XLSForm
import with located problems, the rule language (row-wise and vectorized), the
screens' flow and the generated response schema.
"""
