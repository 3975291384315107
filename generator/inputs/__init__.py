"""Reading what the sizing starts from: sizing.yaml, the package's dated data files, git refs."""
