"""newsgraph: a knowledge graph of people, organisations, places and events from news.

The pipeline, one module per stage::

    documents -> nlp -> extract -> resolve -> build -> export -> store
"""

__version__ = "0.1.0"
