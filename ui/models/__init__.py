"""One QAbstractTableModel per editable table, each over the plan itself (no copies)."""
