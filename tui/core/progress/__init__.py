"""Progress as the app and the exports see it: checklist state, evidence, profiles, statuses, actions."""
