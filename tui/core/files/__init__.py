"""Files read and written safely: atomic writes, damaged files moved aside, TOML and JSON reading."""
