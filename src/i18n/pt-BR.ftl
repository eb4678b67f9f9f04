# Português do Brasil. Mantenha as mesmas chaves do catálogo em inglês (um teste verifica).

app-name = Gatehouse
skip-to-content = Pular para o conteúdo
menu = Menu
nav-main = Principal
nav-overview = Visão geral
organization = Organização
switch = Trocar
dismiss = Fechar
sign-in = Entrar
sign-out = Sair
email = E-mail
password = Senha
go-home = Ir para o console
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
forgot-sent-body = Se existir uma conta com esse endereço, um e-mail com o link de redefinição está a caminho. O link funciona por uma hora.
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
deliveries-send-again = Enviar de novo
delivery-status-pending = Pendente
delivery-status-sent = Enviado
delivery-status-failed = Falhou
flash-test-email-queued = Um e-mail de teste está a caminho.
flash-delivery-requeued = O e-mail será enviado de novo.
