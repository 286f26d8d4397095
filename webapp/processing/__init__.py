"""Records of processing as data (REQUIREMENTS F10): see ``services`` for the API."""
