# clients
organization-via-partner = via { $partner }
