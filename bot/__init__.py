"""Pure core of the innovation network bot.

Nothing in this package performs I/O: no database, network, file or clock access. Adapters turn
platform payloads into :mod:`bot.events`, the core answers with :mod:`bot.replies`, and the service
layer (:mod:`bot.service`) runs one event inside a unit of work supplied from outside.
"""
