"""The Zalo channel: HTTP client, plain-text rendering, delivery sender, conversation, server."""
