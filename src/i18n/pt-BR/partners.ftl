# partners
partner-domain-refused = Este parceiro aceita membros apenas dos seus domínios de e-mail registrados.
nav-partners = Parceiros
