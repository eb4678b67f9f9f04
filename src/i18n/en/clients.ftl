# clients
organization-via-partner = via { $partner }
nav-clients = My Clients
nav-my-partner = My Partner
