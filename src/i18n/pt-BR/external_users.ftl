# external_users
## A aba "Usuários externos" da página de usuários: pessoas com acesso apenas ao portal de APIs.
external-tabs-label = Usuários
external-tab-members = Membros
external-tab-external = Usuários externos
external-title = Usuários externos
external-lead = Pessoas de fora da organização com acesso apenas ao portal de APIs, por tempo limitado.
external-search-label = Buscar usuários externos
external-search-placeholder = Buscar por e-mail, nome ou empresa
external-empty = Nenhum usuário externo ainda.
external-no-match = Nenhum usuário externo corresponde a “{ $search }”.
external-col-email = E-mail
external-col-name = Nome
external-col-company = Empresa
external-col-status = Situação
external-col-access = Acesso a
external-col-expires = Acesso expira
external-col-last-sign-in = Última entrada
external-col-member-since = Membro desde
external-status-requested = Solicitado
external-status-active = Ativo
external-status-suspended = Suspenso
external-status-expired = Expirado
external-access-none = Nada ainda
external-access-group-label = Grupo:
external-access-more = mais { $count }
external-expires-never = Nunca
external-expires-ends = termina em { $at } no seu horário
external-access-action = Acesso
external-more-actions = Mais ações para { $email }
external-resend = Reenviar convite
external-resend-choose = Reenviar convite…
external-edit = Alterar expiração
external-suspend = Suspender
external-reactivate = Reativar
external-delete = Excluir
## Convite e campos de expiração.
external-invite = Convidar usuário externo
external-invite-lead = A pessoa recebe um e-mail com um link para se cadastrar no portal de APIs. Ela nunca tem acesso a este console.
external-invite-email-hint = Não pode ser o e-mail de um membro desta organização.
external-invite-submit = Enviar convite
external-expiry-legend = Expiração do acesso
external-expiry-never = Nunca
external-expiry-on-date = Em uma data
external-expires-on = Último dia de acesso
external-expiry-hint = O acesso termina às 23:59 desse dia no fuso horário da pessoa (até ela se cadastrar: { $zone }).
external-expiry-hint-registered = O acesso termina às 23:59 desse dia no fuso horário da própria pessoa ({ $zone }).
## Reenvio, alteração da expiração, exclusão.
external-edit-title = Expiração do acesso de { $email }
external-edit-lead = Altere quando termina o acesso ao portal de APIs.
external-resend-title = Novo convite para { $email }
external-resend-lead = Um novo e-mail de cadastro é enviado; o link anterior deixa de funcionar.
external-resend-expired-lead = O acesso expirou. Escolha uma nova expiração: um novo e-mail de cadastro é enviado, e o link anterior deixa de funcionar.
external-resend-submit = Enviar um novo link
external-delete-title = Excluir usuário externo
external-delete-body = { $email } perde o acesso ao portal de APIs na hora, inclusive sessões já abertas. Os links de convite deixam de funcionar.
external-delete-submit = Excluir usuário externo
## A gaveta "Acesso a".
external-access-title = Acesso de { $email }
external-access-lead = Escolha os grupos de APIs e as APIs avulsas que esta pessoa pode usar no portal de APIs.
external-access-empty-catalog = Ainda não há APIs nem grupos de APIs.
external-access-groups = Grupos de APIs
external-access-group-apis = { $count ->
    [one] { $count } API
   *[other] { $count } APIs
}
external-access-environment = APIs em { $environment }
## Recusas.
external-date-required = Escolha o último dia de acesso.
external-date-invalid = Informe uma data como 2026-11-30.
external-date-past = Escolha hoje ou uma data posterior.
external-is-member = Esta pessoa é membro da organização. Usuários externos são pessoas de fora dela.
external-already-invited = Esta pessoa já é usuário externo desta organização.
external-resend-needs-expiry = O acesso expirou: escolha primeiro uma nova expiração.
external-resend-not-allowed = Só é possível reenviar convites a usuários externos solicitados ou expirados.
external-edit-not-allowed = Só é possível alterar a expiração de usuários externos ativos ou suspensos. Para um expirado, reenvie o convite.
external-suspend-not-allowed = Só usuários externos ativos podem ser suspensos.
external-reactivate-not-allowed = Só usuários externos suspensos podem ser reativados.
## Mensagens após uma alteração.
external-flash-invited = Convite enviado.
external-flash-resent = Um novo convite foi enviado; o link anterior não funciona mais.
external-flash-expiry-changed = Expiração do acesso alterada.
external-flash-suspended = Usuário externo suspenso. O acesso terminou na hora.
external-flash-reactivated = Usuário externo reativado.
external-flash-deleted = Usuário externo excluído. O acesso terminou na hora.
external-flash-access-saved = Acesso salvo.
## O e-mail de cadastro.
external-email-subject = Seu acesso ao portal de APIs de { $organization }
external-email-body = { $inviter } convidou você para o portal de APIs de { $organization } no Gatehouse. Abra o link abaixo para se cadastrar.
external-email-button = Cadastrar-se
external-email-access-never = Seu acesso não tem data de término.
external-email-access-until = Seu acesso vale até as 23:59 de { $date } (horário de { $zone }).
