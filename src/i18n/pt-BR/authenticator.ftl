# Apps autenticadores: Perfil → Verificação em duas etapas, a página do código no login e a política.

policy-two-factor-email-fallback = Membros com app autenticador podem pedir um código por e-mail
policies-two-factor-email-fallback-hint = Quem configurou um app autenticador no perfil recebe o pedido do código do app. Desative para aceitar dessas pessoas só códigos do app e de recuperação.

two-factor-app-lead = Abra seu app autenticador e digite o código de 6 dígitos que ele mostra para o Gatehouse.
two-factor-app-or-email-lead = Digite o código que enviamos para { $email } ou o que seu app autenticador mostra.
two-factor-recovery-hint = Perdeu o celular? Digite um dos seus códigos de recuperação.
two-factor-email-instead = Enviar um código por e-mail
two-factor-wrong-app-code = Esse código não está certo ou já foi usado. Digite o código que o app mostra agora.
flash-recovery-code-used = Você entrou com um código de recuperação, que não pode ser usado de novo. Se perdeu o celular, desative o app autenticador aqui e configure-o de novo.
flash-authenticator-removed = App autenticador desativado. Seus códigos de recuperação não funcionam mais.

authenticator-title = Verificação em duas etapas
authenticator-lead = Quando sua organização pedir uma segunda etapa no login, use um código de um app no celular, como Google Authenticator, Microsoft Authenticator ou 1Password.
authenticator-profile-lead = Use um app autenticador em vez de códigos por e-mail quando sua organização pedir uma segunda etapa.
authenticator-unavailable = Apps autenticadores ainda não estão disponíveis neste servidor: o administrador precisa definir GATEHOUSE_SECRET_KEY.
authenticator-app = App autenticador
authenticator-on = Ativado
authenticator-off = Desativado
authenticator-off-lead = Sem um app, sua organização envia um código por e-mail quando pedir um.
authenticator-set-up = Configurar um app autenticador
authenticator-manage = Gerenciar
authenticator-setup-title = Configure seu app autenticador
authenticator-step-scan = Leia este QR code com seu app autenticador.
authenticator-qr-label = QR code que adiciona o Gatehouse ao seu app autenticador
authenticator-step-key = Não consegue ler? Digite esta chave no app:
authenticator-step-code = Digite o código de 6 dígitos que o app mostra
authenticator-confirm = Ativar
authenticator-cancel = Cancelar configuração
authenticator-code-required = Digite o código de 6 dígitos do seu app.
authenticator-code-wrong = Esse código não confere. Verifique se o celular acerta a hora automaticamente e digite o código que o app mostra agora.
authenticator-recovery-title = Seus códigos de recuperação
authenticator-recovery-once = Guarde estes códigos em um lugar seguro agora: eles são mostrados só uma vez. Cada um permite entrar uma vez se você perder o celular.
authenticator-recovery-download = Baixar
authenticator-recovery-saved = Já guardei
authenticator-on-since = Ativado desde { $date }.
authenticator-codes-left = { $count ->
    [one] Resta 1 de { $total } códigos de recuperação.
   *[other] Restam { $count } de { $total } códigos de recuperação.
}
authenticator-renew-title = Novos códigos de recuperação
authenticator-renew-lead = Gere 10 códigos novos; os que você tem deixam de funcionar. Digite sua senha para continuar.
authenticator-renew = Gerar novos códigos
authenticator-turn-off-title = Desativar o app autenticador
authenticator-turn-off-lead = Sua organização voltará a enviar códigos por e-mail. Digite sua senha para continuar.
authenticator-turn-off = Desativar
authenticator-reset-menu = Redefinir duas etapas
authenticator-reset-title = Redefinir a verificação em duas etapas
authenticator-reset-body = { $email } deixará de ter o código do app autenticador pedido, e os códigos de recuperação deixam de funcionar. Até configurar um app de novo, a pessoa entra com códigos por e-mail. Faça isso quando ela perdeu o celular e os códigos de recuperação, depois de confirmar que é ela quem pede.
authenticator-reset-submit = Redefinir app autenticador
authenticator-reset-none-body = { $email } não tem app autenticador: não há o que redefinir.
authenticator-reset-back = Voltar aos usuários
authenticator-reset-owner = Só o proprietário desativa o próprio app autenticador, no perfil. Se ele não conseguir entrar, permita códigos por e-mail em Políticas → Autenticação em dois fatores por um tempo.
authenticator-reset-other-organizations = Esta pessoa também pertence a outras organizações, que o app autenticador dela também protege, então só ela o desativa, no perfil. Se ela não conseguir entrar, permita códigos por e-mail em Políticas → Autenticação em dois fatores por um tempo.
authenticator-reset-none = Este membro não tem app autenticador.
flash-authenticator-reset = App autenticador redefinido. O membro entra com códigos por e-mail até configurar um novo.
