"""newsfacts: Russian news → sourced facts."""
__version__ = "0.1.0"
