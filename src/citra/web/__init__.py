"""The web dashboard and JSON API: a FastAPI app built by ``create_app`` (see ``citra.web.app``)."""
