"""Analyse: what the model says beyond what was written: where each quotation is in its source
(anchoring), the figures read from the quotations and how they compare (figures,
discrepancies), and how other sources worded the same passage (variants)."""
