"""Lecture ratings, the evaluation form, results and commendations, the closing pack."""
