"""Importing existing practice into the catalogue: rows and their checks (``rows``), reading a file
(``files``), the use case (``service.PracticeImport``) and what it needs from storage (``ports``)."""
