"""Pages of the walk-in queue: the kiosk at the door, the waiting-room screen, the desk's
calls and the coordinator's kiosk links (issue 17)."""
