"""The local adapter: the web playground and the console chat, for trying the bot without a platform."""
