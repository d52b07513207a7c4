"""Streamlit pages: thin, one module per page; no SQL and no statistics here."""
