"""What pages and exports draw, as plain data: a resource described (describe.py), the network of
plans (network.py), the timeline, analytics with networkx, the overview and the statistics."""
