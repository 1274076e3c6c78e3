"""Messages to people: the outbox, the texts, the senders, and the dispatcher that joins them."""
