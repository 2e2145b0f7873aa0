"""Evidence for the network's evaluation: who may see what in an export (``tables``), its formats, and the
use cases (``service.Evidence``). Import the submodules; this package re-exports nothing, so ``bot.ports``
can name ``bot.evidence.ports`` without importing the use cases."""
