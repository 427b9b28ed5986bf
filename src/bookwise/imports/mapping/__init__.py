"""Column mappings: importing any CRM's or ERP's export (docs/imports.md, "Column mappings").

The pure API (no Django), for the command line and the web wizard alike:
- `library.load_mapping(name_or_path, kind=)`, `library.preset_names()`, `library.to_yaml(m)`,
  `library.parse_yaml(text, kind=)`: mappings from files and presets;
- `suggest.suggest(kind, headers, sample) -> Suggestion` (per-field `guesses` with a confidence,
  `missing` required fields, `data` ready for YAML);
- `apply.apply(mapping, header, rows) -> Applied`: Bookwise-format rows keeping the source
  line numbers (`reading.read_table` gives header and rows of any CSV or XLSX sheet).
With the database: `store.load_mapping` (also saved names), `store.save_mapping(name,
mapping, user)` (audited), and `imports.services.import_file(..., mapping=m)`."""
