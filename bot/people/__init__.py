"""Members of a class: roles and permissions, invites, linked accounts and groups, preferences."""
