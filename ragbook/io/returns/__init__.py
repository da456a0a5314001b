"""Agency returns at the edge: writing returns, reading untrusted ones back, encryption and email drafts."""
