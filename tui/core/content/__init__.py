"""The policy's content: the measures, places, the provision register, the checklists and their validators."""
