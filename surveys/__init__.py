"""The online Seoul Survey: questionnaires, sampling and invitations, answers, analysis frames."""
