"""Learned components: small linear models trained offline, scored in pure Python."""
