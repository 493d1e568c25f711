"""What each trainee carries in their pocket: their card, contacts, materials, the week's picture."""
