"""What each trainee carries in their pocket: card, contacts, materials, the week as a picture."""
