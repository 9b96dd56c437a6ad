"""Every state change of the documents layer is one function here (docs/conventions.md, do 1)."""
