"""The app's full screens: reader, search, roles (the checklists) and one checklist. Dialogs are in tui/dialogs."""
