"""The panel operators' page in sections (:mod:`ui.panel_page` draws them): the waves tab
(new wave, invitations and reminders, outcomes, close-out and weights) and the roster tab."""
