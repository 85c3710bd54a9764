"""Package data, installed as ``w2veval.data``: the gold-set catalog (``catalog.toml``)
and the project's own gold sets. Nothing to import; read through importlib.resources."""
