"""The questionnaire both the citizen and the classroom sit on: scoring, results, the statement step."""
