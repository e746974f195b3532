"""Word lists and token helpers shared by the relation extractors.

The relation components (occupation, meeting, deal, ownership) read the same natasha
layer and resolve the same entity mentions, so the lexicons and the small navigation
helpers live here once instead of being copied into each component.
"""
