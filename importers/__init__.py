"""Readers that turn release files into plain records (see `records`); they never touch the archive."""
