"""The policy rules, one module per concern (and per pytest file in policies/): acu, connections, backups,
cost, network. declarations.py holds the checks made while an environment root is read."""
