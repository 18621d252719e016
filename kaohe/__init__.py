"""kaohe: annual performance assessment of a government organ's internal departments."""
