"""The broker review workflow: who may decide what, the decision cards, and what everyone is told."""
