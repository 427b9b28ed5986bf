"""Commission computation, one home for each rule (COMMISSIONS.md):

- rules.py: the plan's terms and the rules (R(x), tiers, transfer factor, rounding,
  attainment, explanations, override, rebates), pure;
- period.py: the period a run pays, parsed once and passed down;
- reading.py: the one way to read order lines;
- crediting.py: the one crediting step (who, which share, which base, which transfer);
- vector.py: every line paid, in columns on exact integers;
- chunks.py: the reps cut into chunks so that memory does not grow with the lines;
- statements.py: a rep's statement and its typed lines;
- computation.py: a period's statements, chunk by chunk, with the overrides.

Nothing is imported here, so that models and the plan file can import the pure modules
without loading the computation.
"""
