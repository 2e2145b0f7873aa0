"""Where the app is installed (``ports.py``), and what is done with it (``service.py``)."""
