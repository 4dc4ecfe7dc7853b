"""interviews: see the package docstring of govportal.interaction."""
