"""Growth: how the fleet outgrows one Serverless v2 writer (`aurora-gen grow`), and what runs past it
(an Aurora PostgreSQL Limitless Database shard group). Every figure comes from the one result object
(generator/model/result.py build, generator/model/sized.py report_of)."""
