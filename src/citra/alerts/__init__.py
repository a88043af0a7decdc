"""Alerts: what a crisis is about, the messages Humas staff receive about it (``message``) and the channels that
carry them (``channels``: Telegram, email, a JSON webhook). One crisis is one ``Alert``, sent once then updated."""
