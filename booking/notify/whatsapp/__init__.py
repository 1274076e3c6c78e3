"""WhatsApp beside SMS (issue 14): the same words through Twilio's WhatsApp sender.

A contact chooses SMS or WhatsApp when booking; each text to them is queued on that
channel. Within 24 hours of the person's last WhatsApp message a text goes free-form;
outside it only an approved template may (``templates``, ``route``). With no template for
the text and language, or when WhatsApp cannot reach the person, the text goes by SMS once
(``delivery``). Replies and STOP are the SMS ones (booking/services/replies.py).
"""
