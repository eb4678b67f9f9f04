# partners
partner-domain-refused = This partner takes members only from its registered email domains.
nav-partners = Partners
