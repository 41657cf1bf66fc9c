"""What every stage shares: French text keys, problems as a contributor reads them, INSEE geography,
and publisher values (amounts, funders, SIRET, RNA) turned into canonical ones."""
