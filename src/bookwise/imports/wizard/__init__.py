"""The web import wizard (docs/imports.md, "Import wizard"): upload a CSV or XLSX (any
sheet) -> map its columns (the suggestion pre-filled, editable, a preset or a saved mapping,
saved by name) -> preview the rows as Bookwise reads them with every error -> confirm; the
import then runs on the job queue and its result page shows the counts and the errors.

- `access`: who may use it (administrators and the "Sales ops" group);
- `state`: the upload and the mapping being edited, kept server-side under a token;
- `steps`: the step logic (the mapping form, the preview), pure but for the mapping store;
- `runs`: the confirmed import (an `ImportRun`), run by the job queue."""
