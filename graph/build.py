"""Build the networkx graph, with provenance, from resolved entities, events and relations.

The graph is a ``networkx.MultiDiGraph``. This is its contract, read by every exporter and by
``score_graph.py`` (after flattening by :mod:`graph.export`):

Node ids are stable strings derived from canonical names: ``country/VN``,
``person/dang-hoang-giang``, ``organization/viet-nam-journalists-association``,
``event/<type>-<date>-<hash>``.

Node attributes (Python values; exporters flatten lists with ``|`` and dicts to JSON):

``kind``        Person | Organization | Country | Place | Initiative | Event
``label``       canonical name (str)
``aliases``     every surface form exactly as written (list[str])
``documents``   ids of the documents that mention it (list[str])
``langs``       languages of those documents (list[str])
``mentions``    provenance, one dict per mention:
                ``{"doc", "lang", "sentence", "start", "end", "text"}`` (offsets into the
                document's cleaned text)
``iso``         ISO 3166-1 alpha-2 code (Country nodes)
``event_type``  Meeting | Agreement | Opening | Launch | Visit | Other (Event nodes)
``cameo``       nearest CAMEO code of the event type (Event nodes)
``date``        ISO date as precise as the text allows, or absent (Event nodes)
``end_date``    ISO end date of a range, or absent (Event nodes)
``trigger``     trigger words as written (Event nodes)

Edge attributes:

``relation``    participant | location | holdsPosition | memberOf | basedIn | locatedIn | partnerOf
``role``        organizer | signatory | speaker | moderator | host | visitor | participant
                (participant edges: event -> entity)
``title``       the position as written (holdsPosition edges)
``documents``   ids of the documents that state it (list[str])
``evidence``    one dict per statement: ``{"doc", "sentence", "text"}`` (the sentence)

Graph attributes: ``documents`` maps a document id to its metadata (title, date, source, lang,
path); ``run`` describes the run (tool version, models, start and end time).
"""
