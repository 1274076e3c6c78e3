"""The walk-in queue of a point (issue 17): kiosk links, joining, the estimate, calling,
and closing past days."""
