# clients
organization-via-partner = via { $partner }
nav-clients = Meus clientes
nav-my-partner = Meu parceiro
