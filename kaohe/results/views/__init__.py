"""Pages of the results app: the proposal and its inputs, confirmation, published versions, exports."""
