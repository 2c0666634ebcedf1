"""minutes: turn Norwegian and Swedish school-sector minutes into data."""

__version__ = "0.1.0"
