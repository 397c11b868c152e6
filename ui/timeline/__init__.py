"""The funding timeline: one lane per body, financial years across."""
