"""The week calendar of a point: who works when, what is booked, and free times to book."""
