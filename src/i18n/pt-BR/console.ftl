# Português do Brasil. Mantenha as mesmas chaves do catálogo em inglês (um teste verifica).

app-name = Gatehouse
skip-to-content = Pular para o conteúdo
menu = Menu
nav-main = Principal
nav-overview = Visão geral
organization = Organização
switch = Trocar
confirm-wrong-case = Digite a palavra em letras maiúsculas, exatamente como mostrada.
dismiss = Fechar
sign-in = Entrar
sign-out = Sair
email = E-mail
password = Senha
go-home = Ir para o console
try-again = Tentar de novo
go-to-sign-in = Ir para a entrada
error-network = Algo deu errado na comunicação com o servidor. Tente novamente.

## Validação de campos
email-required = Informe um endereço de e-mail.
email-invalid = Informe um e-mail como nome@exemplo.com.
name-required = Informe um nome.
name-invalid = Nomes podem ter até 100 caracteres e nenhuma quebra de linha.
organization-name-required = Informe o nome da organização.
organization-name-invalid = Nomes de organização podem ter até 100 caracteres e nenhuma quebra de linha.
password-too-short = Use pelo menos 12 caracteres.
password-too-long = Use no máximo 128 caracteres.
password-mismatch = As duas senhas não são iguais.
password-hint = De 12 a 128 caracteres. Algumas palavras sem relação formam uma senha forte e fácil de lembrar.
password-confirmation = Repita a senha

## Entrada
sign-in-title = Entrar
sign-in-lead = Use o e-mail e a senha da sua conta Gatehouse.
sign-in-email-missing = Informe seu e-mail.
sign-in-password-missing = Informe sua senha.
sign-in-failed = O e-mail ou a senha estão incorretos.

## Configuração inicial
setup-title = Configurar o Gatehouse
setup-lead = Crie sua organização e o primeiro administrador. Este link funciona uma única vez.
organization-name = Nome da organização
your-name = Seu nome
setup-submit = Criar organização
setup-invalid-title = Este link de configuração não é mais válido
setup-invalid-body = Links de configuração funcionam uma vez e só até a primeira conta existir. Se você é o administrador, entre; caso contrário, fale com quem mantém este servidor.

## Mensagens após um redirecionamento
flash-signed-out = Você saiu.
flash-session-expired = Sua sessão expirou. Entre novamente.
flash-sign-in-required = Entre para continuar.
flash-organization-switched = Organização trocada.
flash-setup-complete = Sua organização está pronta. Boas-vindas ao Gatehouse!

## Visão geral
overview-welcome = Olá de novo, { $name }.
overview-members = Membros
overview-roles = Papéis
overview-your-access = Seu acesso
overview-owner = Você é o proprietário desta organização.
overview-permissions = Seus papéis concedem:

## Permissões
permission-read = Leitura
permission-admin = Administração
permission-agent-install = Instalação de agente
permission-api-consumer = Consumidor de API
permission-api-access = Acesso à API
permission-app-developer = Desenvolvedor de apps (obsoleto)

## Páginas de erro
error-reference = Referência:
error-400-title = A requisição não foi entendida
error-400-body = Algo na requisição estava ausente ou malformado. Volte e tente novamente.
error-403-title = Você não tem acesso a esta página
error-403-body = Seus papéis nesta organização não permitem isso. Um administrador pode mudar seus papéis.
error-404-title = Página não encontrada
error-404-body = A página pedida não existe, ou você não pode vê-la.
error-405-title = Essa ação não está disponível aqui
error-405-body = Este endereço não aceita esse tipo de requisição.
error-413-title = Dados demais
error-413-body = O formulário ou arquivo enviado é maior do que esta página aceita.
error-500-title = Algo deu errado do nosso lado
error-500-body = O problema foi registrado. Tente novamente em instantes.
error-503-title = O console está temporariamente indisponível
error-503-body = O banco de dados não está respondendo agora. Tente novamente em instantes.
error-csrf-title = Este formulário expirou
error-csrf-body = Por segurança, o formulário não pôde ser aceito. Recarregue a página e tente novamente.
error-no-organization-title = Você não é membro de nenhuma organização
error-no-organization-body = Sua conta não está ativa em nenhuma organização. Peça a um administrador para convidar você de novo.

## E-mails
email-footer = Você recebe este e-mail por causa da sua conta no Gatehouse.
email-greeting = Olá, { $name },
email-link-fallback = Se o botão não funcionar, copie este link no navegador:
email-reset-subject = Redefina sua senha do Gatehouse
email-reset-intro = Alguém pediu para redefinir a senha da sua conta Gatehouse. Para escolher uma nova senha, abra o link abaixo.
email-reset-button = Escolher uma nova senha
email-reset-expiry = O link funciona uma vez, por uma hora.
email-reset-ignore = Se você não pediu isso, ignore este e-mail: sua senha continua a mesma.
email-test-subject = E-mail de teste de { $organization }
email-test-body = Este é um e-mail de teste de { $organization } no Gatehouse. Se você consegue lê-lo, o envio de e-mails funciona.

## Redefinição de senha
forgot-password = Esqueceu a senha?
forgot-title = Redefina sua senha
forgot-lead = Informe o e-mail da sua conta. Se houver uma, enviaremos um link para escolher uma nova senha.
forgot-submit = Enviar link
forgot-sent-title = Verifique seu e-mail
forgot-sent-body = Se existir uma conta com esse endereço, um e-mail com o link de redefinição está a caminho. O link funciona por uma hora, e só o link mais recente vale. Se nada chegar, aguarde alguns minutos antes de pedir de novo.
back-to-sign-in = Voltar para a entrada
reset-title = Escolha uma nova senha
reset-lead = Depois disso, você sairá de todas as sessões e poderá entrar com a nova senha.
reset-submit = Definir nova senha
new-password = Nova senha
reset-invalid-title = Este link de redefinição não é mais válido
reset-invalid-body = Links de redefinição funcionam uma vez e por uma hora. Peça um novo.
reset-ask-again = Pedir um novo link
flash-password-reset = Sua senha foi alterada. Entre com a nova.

## Entregas de e-mail
nav-deliveries = Entregas de e-mail
deliveries-title = Entregas de e-mail
deliveries-lead = Os e-mails que o Gatehouse enviou, ou está enviando, para esta organização.
deliveries-help-summary = Como funciona o envio
deliveries-help-retries = Cada e-mail é salvo antes de ser enviado, então nenhum se perde se o servidor parar. Quando o servidor de e-mail não responde ou pede para tentar mais tarde, o Gatehouse tenta de novo após 1 minuto, 5 minutos, 30 minutos e 2 horas, enquanto o e-mail ainda for útil (um código de acesso só por 10 minutos). Um e-mail recusado de vez pelo servidor de e-mail, ou que perdeu o prazo, aparece como falho, e você pode enviá-lo de novo.
deliveries-help-duplicates = Raramente, um e-mail pode chegar duas vezes: quando o servidor para logo depois de o servidor de e-mail aceitar um e-mail e antes de o Gatehouse registrar isso, o e-mail é enviado de novo quando o servidor volta. As duas cópias têm o mesmo Message-ID, então a maioria dos programas de e-mail mostra só uma.
deliveries-empty-title = Nenhum e-mail ainda
deliveries-empty-body = Convites e avisos aparecerão aqui. Envie um e-mail de teste para verificar se a entrega funciona.
deliveries-send-test = Enviar um e-mail de teste para mim
deliveries-recipient = Destinatário
deliveries-subject = Assunto
deliveries-status = Situação
deliveries-attempts = Tentativas
deliveries-last-error = Último erro
deliveries-created = Na fila desde
deliveries-actions = Ações
deliveries-filter = Filtrar os envios
deliveries-status-all = Todos
deliveries-filter-apply = Filtrar
deliveries-filter-clear = Limpar filtro
deliveries-no-match = Nenhum e-mail corresponde a este filtro.
deliveries-newest = Mais recentes
deliveries-older = Mais antigos
deliveries-send-again = Enviar de novo
delivery-status-pending = Pendente
delivery-status-sent = Enviado
delivery-status-failed = Falhou
flash-test-email-queued = Um e-mail de teste está a caminho.
flash-delivery-requeued = O e-mail será enviado de novo.

## Palavras comuns (tabelas, formulários, confirmações)
actions = Ações
assign = Atribuir
cancel = Cancelar
close = Fechar
save = Salvar
search = Buscar
search-shortened = A busca era longa demais: só os primeiros { $count } caracteres foram usados.
never = Nunca
previous = Anterior
next = Próxima
pagination = Páginas
pager-range = { $from }–{ $to }
pager-range-of = { $from }–{ $to } de { $total }
table-columns = Colunas
table-columns-legend = Colunas exibidas e sua ordem
table-column-position = Posição de { $column }
confirm-type-word = Digite { $word } para confirmar
confirm-word-mismatch = Digite { $word } exatamente, em maiúsculas, para confirmar.
error-rule-title = Esta alteração não é permitida
nav-users = Usuários
nav-roles = Papéis
nav-environments = Ambientes
nav-organizations = Organizações
flash-columns-saved = Configuração de colunas salva.

## Regras (recusas)
last-administrator = O papel Administrador precisa manter pelo menos um membro ativo. Torne outra pessoa administradora primeiro.
member-needs-role = Escolha pelo menos um papel.
member-already-exists = Esta pessoa já é membro da organização.
member-already-invited = Esta pessoa já tem um convite pendente. Reenvie-o pela lista de usuários.
invitation-not-pending = Só convites pendentes podem ser reenviados ou revogados.
role-builtin = Papéis nativos não podem ser renomeados, alterados, desativados ou removidos.
role-name-required = Informe um nome para o papel.
role-name-invalid = Nomes de papel podem ter até 60 caracteres e nenhuma quebra de linha.
role-name-taken = Outro papel já tem este nome.
role-permissions-required = Escolha pelo menos uma permissão.
role-permissions-invalid = Essa permissão não pode ser dada a um papel.
environment-name-required = Informe um nome para o ambiente.
environment-name-invalid = Nomes de ambiente podem ter até 60 caracteres e nenhuma quebra de linha.
environment-name-taken = Outro ambiente já tem este nome.

## Usuários
users-title = Usuários
users-lead = Os membros desta organização e seus papéis.
users-add = Adicionar usuário
users-add-lead = Convide alguém por e-mail. Quem já tem conta no Gatehouse recebe acesso na hora; os demais recebem um convite para se cadastrar.
users-add-roles = Papéis
users-add-submit = Adicionar usuário
users-search-label = Buscar usuários
users-search-placeholder = Buscar por e-mail, nome ou papel
users-empty = Nenhum membro ainda.
users-no-match = Nenhum membro corresponde a “{ $search }”.
users-col-email = E-mail
users-col-name = Nome
users-col-roles = Papéis
users-col-status = Situação
users-col-last-sign-in = Última entrada
users-col-member-since = Membro desde
users-roles-action = Papéis
users-resend = Reenviar convite
users-revoke = Revogar convite
users-remove = Remover
member-status-active = Ativo
member-status-pending = Pendente
member-status-inactive = Inativo
role-inactive = inativo
users-roles-title = Papéis de { $name }
users-roles-assigned = Papéis atribuídos
users-roles-available = Outros papéis
users-roles-last-role-note = Este é o único papel do membro: desatribuí-lo remove a pessoa da organização.
users-roles-new = Novo papel
users-roles-new-submit = Criar e atribuir
role-name = Nome
role-permissions = Permissões
assignment-on = Ligada
assignment-off = Desligada
assignment-switch-on = Ligar
assignment-switch-off = Desligar
unassign = Desatribuir
unassign-and-remove = Desatribuir e remover da organização
users-remove-title = Remover usuário
users-remove-body = { $name } ({ $email }) perderá todos os papéis nesta organização, e o acesso termina na hora, inclusive sessões já abertas.
users-remove-submit = Remover usuário
flash-member-invited = Convite enviado.
flash-member-added = A pessoa já tinha conta: ela já tem acesso e foi avisada por e-mail.
flash-member-removed = O membro foi removido da organização.
flash-invitation-resent = Um novo convite foi enviado; o link anterior não funciona mais.
flash-invitation-revoked = O convite foi revogado.
flash-roles-assigned = Papéis atribuídos.
flash-assignment-changed = Atribuição atualizada.
flash-role-unassigned = Papel desatribuído.
flash-role-created-assigned = Papel criado e atribuído.

## Convites
invitation-register-title = Entre em { $organization }
invitation-register-lead = Você foi convidado como { $email }. Escolha seu nome e uma senha para concluir.
invitation-register-submit = Criar minha conta
invitation-accept-title = Entre em { $organization }
invitation-accept-lead = Você foi convidado como { $email }, que já tem uma conta Gatehouse. Aceite e depois entre como de costume.
invitation-accept-submit = Aceitar convite
invitation-used-title = Este convite já foi usado
invitation-used-body = Cada link de convite funciona uma vez. Se você já se cadastrou, entre; caso contrário, peça um novo convite a um administrador.
invitation-expired-title = Este convite expirou
invitation-expired-body = Peça a um administrador da organização para enviar um novo.
invitation-unknown-title = Este link de convite não é válido
invitation-unknown-body = Ele pode ter sido substituído por um convite mais novo ou revogado. Use o e-mail mais recente ou fale com um administrador.
flash-invitation-accepted = Convite aceito. Entre para continuar.
flash-welcome = Boas-vindas! Sua conta está pronta.
email-invitation-subject = Você foi convidado para { $organization } no Gatehouse
email-invitation-intro-text = Olá,
email-invitation-body = { $inviter } convidou você para entrar em { $organization } no Gatehouse. Abra o link abaixo para criar sua conta.
email-invitation-button = Aceitar o convite
email-invitation-expiry = O link funciona uma vez, até { $expires }.
email-granted-subject = Você agora tem acesso a { $organization }
email-granted-body = { $inviter } deu a você acesso a { $organization } no Gatehouse. Entre com sua conta de sempre para usar.
email-granted-button = Abrir o Gatehouse

## Organizações
organizations-title = Organizações
organizations-lead = As organizações às quais sua conta pertence. Só a atual pode ser editada; troque para editar outra.
organizations-your-roles = Seus papéis
organizations-current = Atual
organizations-edit-title = Esta organização
flash-organization-renamed = A organização foi renomeada.

## Papéis
roles-title = Papéis
roles-lead = O que cada papel permite aos seus membros, e quem o tem.
roles-new = Novo papel
roles-search-label = Buscar papéis
roles-search-placeholder = Buscar por nome, permissão ou situação
roles-no-match = Nenhum papel corresponde a “{ $search }”.
roles-no-match-body = Tente outra palavra ou limpe a busca para ver todos os papéis.
roles-clear-search = Limpar busca
roles-col-name = Papel
roles-col-permissions = Permissões
roles-col-status = Situação
roles-col-members = Membros
roles-builtin = Nativo
roles-open = Abrir
roles-status-active = Ativo
roles-status-inactive = Inativo
role-builtin-administrator = Administrador
role-builtin-user = Usuário
roles-count = { $count ->
    [one] Um papel
   *[other] { $count } papéis
}
roles-count-matching = { $shown } de { $count } papéis
roles-new-title = Novo papel
roles-new-lead = Escolha um nome e o que o papel permite. Depois de criado, você pode atribuir membros a ele.
roles-create-submit = Criar papel
roles-permission-read-hint = Ver os usuários, papéis e ambientes da organização. A permissão mais baixa.
roles-permission-admin-hint = Gerenciar tudo na organização. Inclui todas as outras permissões.
roles-permission-agent-install-hint = Instalar agentes. Útil junto com acesso a ambientes.
roles-permission-api-consumer-hint = Ver e testar as APIs da organização no portal de APIs. Útil junto com acesso a ambientes.
roles-permission-api-access-hint = Usar a API do Gatehouse: ler a referência e criar tokens de acesso pessoal que agem como o membro.
roles-permission-app-developer-hint = Obsoleta. Mantida enquanto este papel a tiver; depois de removida, não pode ser adicionada de novo.
roles-member-count = { $count ->
    [one] Um membro
   *[other] { $count } membros
}
roles-stepper = Outros papéis
roles-previous = Papel anterior
roles-next = Próximo papel
roles-inactive-note = Este papel está inativo: seus membros não recebem o que ele concede, e o acesso a ambientes fica suspenso até que seja reativado.
roles-settings-title = Nome e permissões
roles-builtin-note = Papéis nativos não podem ser renomeados, alterados, desativados ou removidos.
roles-save = Salvar alterações
roles-status-title = Situação
roles-deactivate-title = Desativar este papel
roles-deactivate-body = Todos os seus membros perdem na hora o que ele concede, e o acesso a ambientes fica suspenso. Atribuições e acessos são guardados para quando ele for reativado.
roles-deactivate-submit = Desativar papel
roles-reactivate-title = Reativar este papel
roles-reactivate-body = Seus membros voltam a receber o que ele concede, e o acesso a ambientes volta como estava.
roles-reactivate-submit = Reativar papel
roles-remove-title = Remover este papel
roles-remove-body = Suas atribuições e acessos a ambientes são apagados. Membros para quem ele é o único papel saem da organização. Isso não pode ser desfeito.
roles-remove-submit = Remover papel
roles-tabs = Detalhes do papel
roles-tab-members = Usuários atribuídos
roles-tab-environments = Acesso a ambientes
roles-members-empty = Ninguém tem este papel ainda.
roles-member = Membro
roles-assignment = Atribuição
roles-assignment-active = Ativa
roles-you = Você
roles-unassign = Desatribuir
roles-unassign-and-remove = Desatribuir e remover da organização
roles-only-role-note = Este é o único papel do membro: desatribuí-lo remove a pessoa da organização.
roles-assign-title = Atribuir membros
roles-assign-legend = Membros que não têm este papel
roles-assign-submit = Atribuir membros selecionados
roles-assign-more = Só os primeiros 200 membros, por e-mail, aparecem aqui. Atribua os demais pela página de usuários.
roles-assign-none-left = Todos os membros da organização já têm este papel.
roles-assign-inactive = Reative o papel para atribuir membros a ele.
roles-assign-none-selected = Escolha pelo menos um membro para atribuir.
roles-environments-lead = O que os membros deste papel podem fazer em cada ambiente. Ligue o que for preciso e salve aquele ambiente.
roles-environments-suspended = Este papel está inativo, então o acesso abaixo está suspenso. Ele volta a valer quando o papel for reativado.
roles-environments-empty = Esta organização ainda não tem ambientes.
roles-environments-manage = Gerenciar ambientes
env-access-view-logs = Ver logs
env-access-read = Leitura
env-access-execute = Execução
env-access-write = Escrita
flash-roles-created = Papel criado. Atribua membros e acesso a ambientes abaixo.
flash-roles-updated = Papel salvo.
flash-roles-deactivated = Papel desativado. Seus membros não recebem mais o que ele concede.
flash-roles-reactivated = Papel reativado.
flash-roles-removed = Papel removido.
flash-roles-removed-members-left = Papel removido. Membros para quem ele era o único papel saíram da organização.
flash-roles-members-assigned = Membros atribuídos.
flash-roles-assignment-on = Atribuição ligada.
flash-roles-assignment-off = Atribuição desligada.
flash-roles-unassigned = Membro desatribuído.
flash-roles-unassigned-member-left = Membro desatribuído. Era o único papel da pessoa, então ela saiu da organização.
flash-roles-environment-access-saved = Acesso ao ambiente salvo.
flash-roles-no-longer-admin = Feito. Seus papéis não permitem mais gerenciar papéis.

## Ambientes
environments-title = Ambientes
environments-lead = Onde os agentes e aplicações da sua organização rodam. Os papéis recebem acesso a cada um pela página do papel.
environments-new-title = Adicionar um ambiente
environments-name = Nome
environments-create-submit = Adicionar ambiente
environments-empty-title = Nenhum ambiente ainda
environments-empty-body = Adicione um acima e depois dê acesso a ele aos papéis, pela página de cada papel.
environments-col-name = Ambiente
environments-col-access = Papéis com acesso
environments-rename = Renomear
environments-new-name = Novo nome
environments-no-access = Nenhum papel tem acesso.
environments-role-suspended = Papel inativo
environments-access-of = Acesso de { $role }
environments-delete = Excluir
environments-delete-title = Excluir “{ $name }”?
environments-delete-body = O ambiente e o acesso de todos os papéis a ele são apagados. Isso não pode ser desfeito.
environments-delete-roles = Estes papéis perdem o acesso:
environments-delete-no-roles = Nenhum papel tem acesso a ele.
environments-delete-submit = Excluir ambiente
flash-environments-created = Ambiente adicionado.
flash-environments-renamed = Ambiente renomeado.
flash-environments-deleted = Ambiente excluído.
users-more-actions = Mais ações para { $email }

## Políticas
nav-policies = Políticas
policies-title = Políticas
policies-lead = O que esta organização exige dos membros. As mudanças valem a partir da próxima entrada, convite ou troca de senha.
policies-changed-title = Salvo. O que mudou:
policies-passwords = Senhas
policies-special-hint = Pelo menos um de ! # $ % _ < = > ou outro caractere que não seja letra, dígito ou espaço. Vale para senhas novas; quem está em várias organizações segue a mais rígida.
policies-domains = Domínios de e-mail dos membros
policies-domains-hint = Separe domínios com vírgulas ou ponto e vírgula. Deixe vazio para permitir qualquer domínio. Convites fora destes domínios são recusados.
policies-out-of-policy = { $count ->
    [one] Um membro tem e-mail fora destes domínios:
   *[other] { $count } membros têm e-mails fora destes domínios:
}
policies-agents = Gestão de agentes
policies-agents-lead = Guardado com a organização para os seus agentes.
policies-time-zone-hint = Um fuso horário IANA como Europe/Warsaw ou America/Sao_Paulo. Deixe vazio para usar o de cada agente.
policy-password-requires-special = Senhas exigem um caractere especial
policy-member-domains = Domínios permitidos
policy-remote-agent-configuration = Configuração remota de agentes
policy-scheduler-time-zone = Fuso horário do agendador
policy-disable-connector-updates = Desativar atualizações automáticas de conectores
policy-domains-invalid = Informe domínios como exemplo.com, separados por vírgulas ou ponto e vírgula.
policy-time-zone-invalid = Escolha um fuso horário da lista, como Europe/Warsaw.
member-domain-refused = O domínio deste e-mail não é permitido pela política de domínios da organização.
password-needs-special = Inclua pelo menos um caractere especial, como ! # $ % _ < = >.
flash-policies-saved = Políticas salvas.
flash-policies-unchanged = Nada mudou.

## Profile
nav-profile = Perfil
profile-title = Seu perfil
profile-lead = Seu nome, idioma e fuso horário, sua senha e onde você está conectado.
profile-details-title = Seus dados
profile-name = Nome
profile-language = Idioma
profile-language-en = English
profile-language-pt-br = Português (Brasil)
profile-language-pl = Polski
profile-language-browser = Usar o idioma do meu navegador
profile-language-invalid = Escolha um idioma da lista.
profile-time-zone = Fuso horário
profile-time-zone-invalid = Escolha um fuso horário da lista.
profile-password-title = Alterar senha
profile-password-lead = Alterar a senha encerra suas sessões em todos os outros lugares.
profile-current-password = Senha atual
profile-current-password-required = Digite sua senha atual.
profile-current-password-wrong = Essa não é a sua senha atual.
profile-current-password-locked = Senhas erradas demais. Aguarde alguns minutos e tente de novo.
profile-password-submit = Alterar senha
profile-sessions-title = Sessões ativas
profile-sessions-lead = Navegadores em que você está conectado. Encerre as que não reconhecer e depois altere sua senha.
profile-session-device-col = Dispositivo
profile-session-device = { $browser } em { $os }
profile-session-unknown-device = Dispositivo desconhecido
profile-session-this-device = Este dispositivo
profile-session-signed-in = Entrou em
profile-session-last-seen = Última atividade
profile-session-ip = Endereço IP
profile-session-sign-out = Sair
profile-sign-out-others = Sair de todos os outros lugares
flash-profile-saved = Perfil salvo.
flash-password-changed = Senha alterada. Suas outras sessões foram encerradas.
flash-session-ended = Sessão encerrada.
flash-other-sessions-ended = Sessões em todos os outros lugares encerradas.
policies-members = Membros
policies-ip = Rede
policy-password-expiry-days = Senhas expiram após (dias)
policy-password-history = Senhas anteriores que não podem ser reutilizadas
policy-inactivity-days = Inativar membros após dias sem entrar
policy-ip-allow-list = Endereços permitidos
policies-expiry-hint = Na próxima entrada depois disso, o membro precisa escolher uma nova senha antes de tudo. 0 significa nunca.
policies-history-hint = Uma nova senha não pode ser nenhuma destas anteriores. 0 desativa.
policies-inactivity-hint = Membros inativos não podem agir nesta organização até um administrador reativá-los. 0 significa nunca.
policies-ip-hint = Endereços e faixas (CIDR), IPv4 ou IPv6, separados por vírgulas. Pedidos de outros lugares são recusados só nesta organização. Seu endereço agora: { $address }.
policies-lockout-warning = Esta lista não inclui seu endereço atual ({ $address }). Salvá-la bloquearia seu acesso a esta organização.
policies-lockout-confirm = Entendo; salvar mesmo assim
policy-numbers-invalid = Informe números inteiros: dias de 0 a 3650, senhas anteriores de 0 a 24.
policy-ip-invalid = Informe endereços como 203.0.113.7 ou faixas como 198.51.100.0/24, separados por vírgulas.
users-reactivate = Reativar
member-not-inactive = Só membros inativos podem ser reativados.
flash-member-reactivated = O membro está ativo de novo.

## Password history
password-reused = Você usou esta senha recentemente. Escolha uma que não tenha usado nas suas últimas { $count } senhas.
password-expired-title = Sua senha expirou
password-expired-lead = Sua organização pede que você escolha uma nova senha de tempos em tempos. Escolha uma agora para continuar.
password-expired-submit = Alterar senha e continuar
address-not-allowed = Esta organização não aceita pedidos do seu endereço de rede. Peça a um dos administradores para incluí-lo nos endereços permitidos.

policies-two-factor = Autenticação em dois fatores
policy-two-factor-mode = Pedir um código no login
policy-two-factor-days = Confiar em um dispositivo por (dias)
policies-two-factor-off = Desligada
policies-two-factor-periodic = A cada N dias em cada dispositivo
policies-two-factor-always = Em todo acesso
policies-two-factor-hint = Usado com "A cada N dias": de 1 a 365.
policy-two-factor-invalid = Escolha uma das opções de dois fatores.
policy-two-factor-days-invalid = Informe um número de dias de 1 a 365.
two-factor-title = Digite seu código
two-factor-lead = Enviamos um código de 6 dígitos para { $email }. Ele vale por 10 minutos.
two-factor-code = Código
two-factor-submit = Verificar
two-factor-resend = Enviar um novo código
two-factor-wrong = { $count ->
    [one] Código errado, resta 1 tentativa.
   *[other] Código errado, restam { $count } tentativas.
}
two-factor-voided = Tentativas erradas demais: este código não vale mais. Envie um novo código.
two-factor-expired = Este código expirou. Envie um novo código.
two-factor-sent = Um novo código está a caminho.
two-factor-wait = { $count ->
    [one] Você pode pedir um novo código em 1 segundo.
   *[other] Você pode pedir um novo código em { $count } segundos.
}
two-factor-start-over = Por segurança, este acesso foi interrompido. Entre novamente com sua senha.
email-two-factor-subject = Seu código de acesso
email-two-factor-intro = Use este código para concluir o acesso a { $organization }:
email-two-factor-expiry = O código vale por 10 minutos e funciona uma vez. Se não foi você, troque sua senha.
