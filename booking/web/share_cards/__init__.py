"""Share cards (issue 14 item 6): Open Graph tags on the point and topic pages, in the
page's language, and the picture they show, so a link posted in a Facebook group names
the point, its next evening opening and shows Loket's sign."""
