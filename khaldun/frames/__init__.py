"""Frames as data: event patterns compiled from the CAMEO 2.0 verb dictionary and khaldun's own lexicon,
matched over spaCy dependency parses by one engine that undoes the syntactic alternations."""

from .engine import Args, FrameEngine, FrameMatch
from .lexicon import FrameLexicon, FramePattern, frame_lexicon

__all__ = ["Args", "FrameEngine", "FrameLexicon", "FrameMatch", "FramePattern", "frame_lexicon"]
