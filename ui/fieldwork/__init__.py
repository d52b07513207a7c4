"""The fieldwork page's sections (:mod:`ui.fieldwork_page` draws them and the headline):
progress per day and by district, completion times and break-offs, quality flags and
exclusions from estimation."""
