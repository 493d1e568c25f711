"""Class managers' announcements: publishing through the outbox, and what became of them."""
