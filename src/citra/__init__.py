"""citra: social listening and public-image measurement for Indonesian government Humas offices."""

__version__ = "0.1.0"
