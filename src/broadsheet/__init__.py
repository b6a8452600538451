"""Broadsheet: a news publishing platform on Django."""
