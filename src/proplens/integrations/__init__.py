"""Bridges to tools people already use: Label Studio (correct and retrain) and spaCy.

Each bridge converts at its edge and keeps proplens' own convention inside:
character offsets are Python ``str`` indices into one exact text.
"""
