"""Paper ballot forms (发放测评表): their one layout, the printed PDF, and double manual entry."""
