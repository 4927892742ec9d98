"""Search in the user's words: the index, text analysis (stems), the thesaurus and the English word list."""
