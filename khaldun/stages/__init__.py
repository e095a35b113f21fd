"""The stages of the pipeline (see khaldun/stages/base.py for the protocol)."""
