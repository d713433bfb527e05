"""The contract checks' bodies, one module per family of the contract suite."""
