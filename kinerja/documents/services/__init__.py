"""Every state change of the documents layer is one function here (STYLE.md, lesson 1)."""
