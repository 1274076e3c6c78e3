"""The waiting list (issue 17): joining with a proved phone number, offers of freed times
made by the worker, booking or letting them pass from the offer link, staff's view, and forgetting the numbers
of entries that ended."""
