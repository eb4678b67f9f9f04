# apis
## A página de APIs: o catálogo de APIs da organização por ambiente, e os grupos de APIs.
apis-nav = APIs
apis-title = APIs
apis-lead = As APIs que a sua organização oferece em cada ambiente, com seus documentos OpenAPI, e os grupos que você dá a usuários externos.
apis-new = Nova API
apis-group-new = Novo grupo
apis-by-environment = APIs por ambiente
apis-no-environments-title = Nenhum ambiente ainda
apis-no-environments-body = Toda API fica em um ambiente. Adicione um ambiente primeiro e depois volte para adicionar as APIs dele.
apis-no-environments-action = Ir para Ambientes
apis-add-here = Adicionar uma API aqui
apis-environment-empty = Nenhuma API neste ambiente ainda.
apis-in-environment = APIs em { $environment }
apis-col-api = API
apis-col-base-url = URL base
apis-col-document = Documento OpenAPI
apis-no-document = Sem documento
apis-operation-count = { $count ->
    [0] Nenhuma operação
    [one] { $count } operação
   *[other] { $count } operações
}
apis-edit = Editar
apis-delete = Excluir

## Grupos de APIs
apis-groups-title = Grupos de APIs
apis-groups-lead = Um grupo é um conjunto nomeado de APIs de qualquer um dos seus ambientes, para você dá-las a usuários externos de uma só vez.
apis-groups-empty-title = Nenhum grupo ainda
apis-groups-empty-body = Crie um grupo para dar várias APIs de uma vez.
apis-groups-empty-no-apis = Adicione APIs primeiro; depois você pode reuni-las em grupos.
apis-col-group = Grupo
apis-col-group-apis = APIs
apis-group-no-apis = Nenhuma API neste grupo.

## O formulário de API
apis-new-title = Nova API
apis-new-lead = Descreva a API e, se tiver, envie o documento OpenAPI dela.
apis-details-title = Dados da API
apis-edit-title = Editar a API
apis-environment = Ambiente
apis-environment-choose = Escolha um ambiente
apis-name = Nome
apis-version = Versão
apis-version-hint = Por exemplo 1.0 ou v2. Nome e versão devem ser únicos no ambiente.
apis-description = Descrição
apis-optional = (opcional)
apis-base-url = URL base
apis-base-url-hint = O endereço que os clientes chamam, por exemplo https://api.exemplo.com.br/v1
apis-document = Documento OpenAPI
apis-document-replace = Substituir o documento OpenAPI
apis-document-hint = Um arquivo JSON ou YAML no padrão OpenAPI 3.0, 3.1 ou Swagger 2.0, de até 2 MiB.
apis-document-current = Documento atual: { $name }. Ele é mantido, a menos que você escolha um novo arquivo ou o remova.
apis-document-remove = Remover o documento
apis-document-choose-again = Escolha o arquivo de novo: os navegadores não guardam o arquivo escolhido quando o formulário volta.
apis-document-download = Baixar { $name }
apis-create-submit = Adicionar API
apis-save = Salvar alterações
apis-operations-title = Operações
apis-operations-none = Esta API não tem documento OpenAPI, então nenhuma operação é listada.
apis-col-method = Método
apis-col-path = Caminho
apis-col-summary = Resumo

## Erros no formulário de API
apis-environment-required = Escolha o ambiente ao qual a API pertence.
apis-name-required = Informe um nome para a API.
apis-name-invalid = Nomes de API podem ter até 100 caracteres e nenhuma quebra de linha.
apis-name-taken = Este ambiente já tem uma API com este nome e esta versão.
apis-version-required = Informe uma versão, por exemplo 1.0.
apis-version-invalid = Versões podem ter até 50 caracteres e nenhuma quebra de linha.
apis-description-invalid = Descrições podem ter até 2000 caracteres.
apis-base-url-required = Informe a URL base da API.
apis-base-url-invalid = Informe um endereço completo começando com http:// ou https://, por exemplo https://api.exemplo.com.br/v1, sem nome de usuário nem senha.

## Documentos OpenAPI recusados
apis-openapi-empty = O arquivo está vazio.
apis-openapi-too-large = O arquivo tem mais de 2 MiB.
apis-openapi-not-text = O arquivo não é um arquivo de texto em UTF-8.
apis-openapi-syntax = O arquivo não é um JSON válido nem um YAML válido.
apis-openapi-syntax-line = O arquivo não é um JSON válido nem um YAML válido: há um erro na linha { $line }.
apis-openapi-not-mapping = O arquivo não é um documento OpenAPI: o nível principal dele deveria ter chaves como openapi, info e paths.
apis-openapi-no-version = O documento não diz qual versão segue: ele precisa de openapi: "3.0.x" ou "3.1.x" (ou swagger: "2.0"), escrito como texto.
apis-openapi-unsupported-version = O documento segue { $found }; o Gatehouse lê OpenAPI 3.0, 3.1 e Swagger 2.0.
apis-openapi-no-info = O documento precisa de uma seção info com um título (title) e uma versão (version), ambos como texto.
apis-openapi-no-paths = O documento precisa de uma seção paths que liste os caminhos da API.
apis-openapi-invalid-path = O caminho “{ $path }” não é válido: caminhos começam com / e contêm as operações (get, post…) como seções.

## Formulário de grupo
apis-group-new-title = Novo grupo de APIs
apis-group-name = Nome
apis-group-apis = APIs do grupo
apis-group-apis-hint = Marque as APIs que este grupo dá, de qualquer ambiente.
apis-group-no-apis-yet = Ainda não há APIs; você pode adicioná-las ao grupo depois.
apis-group-create-submit = Criar grupo
apis-group-name-required = Informe um nome para o grupo.
apis-group-name-invalid = Nomes de grupo podem ter até 100 caracteres e nenhuma quebra de linha.
apis-group-name-taken = Outro grupo já tem este nome.

## Exclusão
apis-delete-api-title = Excluir a API “{ $name }”?
apis-delete-api-body = A API é removida do ambiente { $environment }, junto com o documento OpenAPI dela. Isso não pode ser desfeito.
apis-delete-api-groups = Ela é retirada destes grupos:
apis-delete-api-external-users = { $count ->
    [one] Um usuário externo perde o acesso dado a esta API.
   *[other] { $count } usuários externos perdem o acesso dado a esta API.
}
apis-delete-api-submit = Excluir API
apis-delete-group-title = Excluir o grupo “{ $name }”?
apis-delete-group-body = O grupo é excluído; as APIs dele continuam no catálogo. Isso não pode ser desfeito.
apis-delete-group-external-users = { $count ->
    [one] Um usuário externo perde o acesso que este grupo dava.
   *[other] { $count } usuários externos perdem o acesso que este grupo dava.
}
apis-delete-group-submit = Excluir grupo

## Mensagens depois de uma alteração
apis-flash-api-created = API adicionada.
apis-flash-api-updated = API salva.
apis-flash-api-deleted = API excluída.
apis-flash-group-created = Grupo criado.
apis-flash-group-updated = Grupo salvo.
apis-flash-group-deleted = Grupo excluído.
