"""Office files at the byte level: what kind a file is, and its zip package read once with the safety checks."""
