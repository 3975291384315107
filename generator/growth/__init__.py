"""Growth: how the fleet outgrows one Serverless v2 writer (`aurora-gen grow`), and what runs past it
(an Aurora PostgreSQL Limitless Database shard group). Every figure comes from the one result object
(generator/result.py build, generator/sized.py report_of)."""
