# English, the reference catalog. Every key here must exist in every other catalog
# (a unit test checks). Keys are grouped by page; shared words come first.

app-name = Gatehouse
skip-to-content = Skip to content
menu = Menu
nav-main = Main
nav-overview = Overview
organization = Organization
switch = Switch
confirm-wrong-case = Type the word in capital letters, exactly as shown.
dismiss = Dismiss
sign-in = Sign in
sign-out = Sign out
email = Email
password = Password
go-home = Go to the console
try-again = Try again
go-to-sign-in = Go to sign-in
error-network = Something went wrong while talking to the server. Please try again.

## Field validation
email-required = Enter an email address.
email-invalid = Enter an email address like name@example.com.
name-required = Enter a name.
name-invalid = Names can have up to 100 characters and no line breaks.
organization-name-required = Enter the organization's name.
organization-name-invalid = Organization names can have up to 100 characters and no line breaks.
password-too-short = Use at least 12 characters.
password-too-long = Use at most 128 characters.
password-mismatch = The two passwords do not match.
password-hint = 12 to 128 characters. A few unrelated words make a strong, memorable password.
password-confirmation = Repeat the password

## Sign-in
sign-in-title = Sign in
sign-in-lead = Use the email and password of your Gatehouse account.
sign-in-email-missing = Enter your email address.
sign-in-password-missing = Enter your password.
sign-in-failed = The email or password is incorrect.

## First-run setup
setup-title = Set up Gatehouse
setup-lead = Create your organization and its first administrator. This link works once.
organization-name = Organization name
your-name = Your name
setup-submit = Create organization
setup-invalid-title = This setup link is no longer valid
setup-invalid-body = Setup links work once and only until the first account exists. If you are the administrator, sign in; otherwise ask whoever runs this server.

## Messages shown after a redirect
flash-signed-out = You have signed out.
flash-session-expired = Your session has expired. Please sign in again.
flash-sign-in-required = Please sign in to continue.
flash-organization-switched = Organization switched.
flash-setup-complete = Your organization is ready. Welcome to Gatehouse!

## Overview
overview-welcome = Welcome back, { $name }.
overview-members = Members
overview-roles = Roles
overview-your-access = Your access
overview-owner = You own this organization.
overview-permissions = Your roles grant:

## Permissions
permission-read = Read
permission-admin = Admin
permission-agent-install = Agent Install
permission-api-consumer = API Consumer
permission-api-access = API access
permission-app-developer = App Developer (deprecated)

## Error pages
error-reference = Reference:
error-400-title = The request was not understood
error-400-body = Something in the request was missing or malformed. Go back and try again.
error-403-title = You do not have access to this page
error-403-body = Your roles in this organization do not allow this. An administrator can change your roles.
error-404-title = Page not found
error-404-body = The page you asked for does not exist, or you cannot see it.
error-405-title = That action is not available here
error-405-body = This address does not accept that kind of request.
error-413-title = That was too much data
error-413-body = The form or file you sent is larger than this page accepts.
error-500-title = Something went wrong on our side
error-500-body = The problem has been logged. Please try again in a moment.
error-503-title = The console is temporarily unavailable
error-503-body = The database is not answering right now. Please try again in a moment.
error-csrf-title = This form has expired
error-csrf-body = For your security, the form could not be accepted. Reload the page and try again.
error-no-organization-title = You are not a member of any organization
error-no-organization-body = Your account is not active in any organization. Ask an administrator to invite you again.

## Emails
email-footer = You receive this email because of your account on Gatehouse.
email-greeting = Hello { $name },
email-link-fallback = If the button does not work, copy this link into your browser:
email-reset-subject = Reset your Gatehouse password
email-reset-intro = Someone asked to reset the password of your Gatehouse account. To choose a new password, open the link below.
email-reset-button = Choose a new password
email-reset-expiry = The link works once, for one hour.
email-reset-ignore = If you did not ask for this, ignore this email: your password stays the same.
email-test-subject = Test email from { $organization }
email-test-body = This is a test email from { $organization } on Gatehouse. If you can read it, email delivery works.

## Password reset
forgot-password = Forgot password?
forgot-title = Reset your password
forgot-lead = Enter the email of your account. If it has one, we will send a link to choose a new password.
forgot-submit = Send reset link
forgot-sent-title = Check your email
forgot-sent-body = If an account exists for that address, an email with a reset link is on its way. The link works for one hour, and only the newest link works. If nothing arrives, wait a few minutes before asking again.
back-to-sign-in = Back to sign-in
reset-title = Choose a new password
reset-lead = After this, you will be signed out everywhere and can sign in with the new password.
reset-submit = Set new password
new-password = New password
reset-invalid-title = This reset link is no longer valid
reset-invalid-body = Reset links work once and for one hour. Ask for a new one.
reset-ask-again = Ask for a new link
flash-password-reset = Your password was changed. Sign in with the new one.

## Email deliveries
nav-deliveries = Email deliveries
deliveries-title = Email deliveries
deliveries-lead = The emails Gatehouse sent, or is sending, for this organization.
deliveries-help-summary = How delivery works
deliveries-help-retries = Every email is saved before it is sent, so none is lost if the server stops. When the mail server cannot be reached or asks to try later, Gatehouse tries again after 1 minute, 5 minutes, 30 minutes and 2 hours, as long as the email is still useful (a sign-in code only for 10 minutes). An email the mail server refuses for good, or that ran out of time, shows as failed, and you can send it again.
deliveries-help-duplicates = Rarely, an email can arrive twice: when the server stops just after the mail server accepted an email and before Gatehouse recorded it, the email is sent again when the server is back. Both copies have the same Message-ID, so most mail programs show only one.
deliveries-empty-title = No emails yet
deliveries-empty-body = Invitations and notices will appear here. Send a test email to check that delivery works.
deliveries-send-test = Send a test email to me
deliveries-recipient = Recipient
deliveries-subject = Subject
deliveries-status = Status
deliveries-attempts = Attempts
deliveries-last-error = Last error
deliveries-created = Queued
deliveries-actions = Actions
deliveries-filter = Filter the deliveries
deliveries-status-all = All
deliveries-filter-apply = Filter
deliveries-filter-clear = Clear filter
deliveries-no-match = No email matches this filter.
deliveries-newest = Newest
deliveries-older = Older
deliveries-send-again = Send again
delivery-status-pending = Pending
delivery-status-sent = Sent
delivery-status-failed = Failed
flash-test-email-queued = A test email is on its way to you.
flash-delivery-requeued = The email will be sent again.

## Shared words (tables, forms, confirmations)
actions = Actions
assign = Assign
cancel = Cancel
close = Close
save = Save
search = Search
search-shortened = The search was too long: only its first { $count } characters were used.
never = Never
previous = Previous
next = Next
pagination = Pages
pager-range = { $from }–{ $to }
pager-range-of = { $from }–{ $to } of { $total }
table-columns = Columns
table-columns-legend = Columns to show, and their order
table-column-position = Position of { $column }
confirm-type-word = Type { $word } to confirm
confirm-word-mismatch = Type { $word } exactly, in capital letters, to confirm.
error-rule-title = This change is not allowed
nav-users = Users
nav-roles = Roles
nav-environments = Environments
nav-organizations = Organizations
flash-columns-saved = Column settings saved.

## Rules (refusals)
last-administrator = The Administrator role must keep at least one active member. Make someone else an administrator first.
member-needs-role = Choose at least one role.
member-already-exists = This person is already a member of the organization.
member-already-invited = This person has a pending invitation already. Resend it from the users list.
invitation-not-pending = Only pending invitations can be resent or revoked.
role-builtin = Built-in roles cannot be renamed, changed, deactivated or removed.
role-name-required = Enter a name for the role.
role-name-invalid = Role names can have up to 60 characters and no line breaks.
role-name-taken = Another role already has this name.
role-permissions-required = Choose at least one permission.
role-permissions-invalid = That permission cannot be given to a role.
environment-name-required = Enter a name for the environment.
environment-name-invalid = Environment names can have up to 60 characters and no line breaks.
environment-name-taken = Another environment already has this name.

## Users
users-title = Users
users-lead = The members of this organization and their roles.
users-add = Add user
users-add-lead = Invite someone by email. People who already have a Gatehouse account get access at once; others receive an invitation to register.
users-add-roles = Roles
users-add-submit = Add user
users-search-label = Search users
users-search-placeholder = Search by email, name or role
users-empty = No members yet.
users-no-match = No members match “{ $search }”.
users-col-email = Email
users-col-name = Name
users-col-roles = Roles
users-col-status = Status
users-col-last-sign-in = Last sign-in
users-col-member-since = Member since
users-roles-action = Roles
users-resend = Resend invitation
users-revoke = Revoke invitation
users-remove = Remove
member-status-active = Active
member-status-pending = Pending
member-status-inactive = Inactive
role-inactive = inactive
users-roles-title = Roles of { $name }
users-roles-assigned = Assigned roles
users-roles-available = Other roles
users-roles-last-role-note = This is the member's only role: unassigning it removes them from the organization.
users-roles-new = New role
users-roles-new-submit = Create and assign
role-name = Name
role-permissions = Permissions
assignment-on = On
assignment-off = Off
assignment-switch-on = Switch on
assignment-switch-off = Switch off
unassign = Unassign
unassign-and-remove = Unassign and remove from organization
users-remove-title = Remove user
users-remove-body = { $name } ({ $email }) will lose every role in this organization, and their access ends at once, including sessions already open.
users-remove-submit = Remove user
flash-member-invited = Invitation sent.
flash-member-added = The person already had an account: they have access now and were told by email.
flash-member-removed = The member was removed from the organization.
flash-invitation-resent = A new invitation was sent; the previous link no longer works.
flash-invitation-revoked = The invitation was revoked.
flash-roles-assigned = Roles assigned.
flash-assignment-changed = Assignment updated.
flash-role-unassigned = Role unassigned.
flash-role-created-assigned = Role created and assigned.

## Invitations
invitation-register-title = Join { $organization }
invitation-register-lead = You were invited as { $email }. Choose your name and a password to finish.
invitation-register-submit = Create my account
invitation-accept-title = Join { $organization }
invitation-accept-lead = You were invited as { $email }, which already has a Gatehouse account. Accept, then sign in as usual.
invitation-accept-submit = Accept invitation
invitation-used-title = This invitation was already used
invitation-used-body = Each invitation link works once. If you registered, sign in; otherwise ask an administrator for a new invitation.
invitation-expired-title = This invitation has expired
invitation-expired-body = Ask an administrator of the organization to send you a new one.
invitation-unknown-title = This invitation link is not valid
invitation-unknown-body = It may have been replaced by a newer invitation or revoked. Use the newest email, or ask an administrator.
flash-invitation-accepted = Invitation accepted. Sign in to continue.
flash-welcome = Welcome! Your account is ready.
email-invitation-subject = You are invited to { $organization } on Gatehouse
email-invitation-intro-text = Hello,
email-invitation-body = { $inviter } invited you to join { $organization } on Gatehouse. Open the link below to create your account.
email-invitation-button = Accept the invitation
email-invitation-expiry = The link works once, until { $expires }.
email-granted-subject = You now have access to { $organization }
email-granted-body = { $inviter } gave you access to { $organization } on Gatehouse. Sign in with your usual account to use it.
email-granted-button = Open Gatehouse

## Organizations
organizations-title = Organizations
organizations-lead = The organizations your account belongs to. Only the current one can be edited; switch to edit another.
organizations-your-roles = Your roles
organizations-current = Current
organizations-edit-title = This organization
flash-organization-renamed = The organization was renamed.

## Roles
roles-title = Roles
roles-lead = What each role lets its members do, and who holds it.
roles-new = New role
roles-search-label = Search roles
roles-search-placeholder = Search by name, permission or status
roles-no-match = No roles match “{ $search }”.
roles-no-match-body = Try another word, or clear the search to see every role.
roles-clear-search = Clear search
roles-col-name = Role
roles-col-permissions = Permissions
roles-col-status = Status
roles-col-members = Members
roles-builtin = Built-in
roles-open = Open
roles-status-active = Active
roles-status-inactive = Inactive
role-builtin-administrator = Administrator
role-builtin-user = User
roles-count = { $count ->
    [one] One role
   *[other] { $count } roles
}
roles-count-matching = { $shown } of { $count } roles
roles-new-title = New role
roles-new-lead = Choose a name and what the role allows. You can assign members once it exists.
roles-create-submit = Create role
roles-permission-read-hint = See the organization's users, roles and environments. The lowest permission.
roles-permission-admin-hint = Manage everything in the organization. Includes every other permission.
roles-permission-agent-install-hint = Install agents. Useful together with environment access.
roles-permission-api-consumer-hint = See and try the organization's APIs in the API portal. Useful together with environment access.
roles-permission-api-access-hint = Use the Gatehouse API: read its reference and create personal access tokens that act as the member.
roles-permission-app-developer-hint = Deprecated. Kept while this role has it; once removed it cannot be added again.
roles-member-count = { $count ->
    [one] One member
   *[other] { $count } members
}
roles-stepper = Other roles
roles-previous = Previous role
roles-next = Next role
roles-inactive-note = This role is inactive: its members do not get what it grants, and its environment access is suspended until it is reactivated.
roles-settings-title = Name and permissions
roles-builtin-note = Built-in roles cannot be renamed, changed, deactivated or removed.
roles-save = Save changes
roles-status-title = Status
roles-deactivate-title = Deactivate this role
roles-deactivate-body = All its members lose what it grants at once, and its environment access is suspended. Assignments and access settings are kept for when it is reactivated.
roles-deactivate-submit = Deactivate role
roles-reactivate-title = Reactivate this role
roles-reactivate-body = Its members get what it grants again, and its environment access comes back as it was.
roles-reactivate-submit = Reactivate role
roles-remove-title = Remove this role
roles-remove-body = Its assignments and environment access are deleted. Members for whom it is the only role leave the organization. This cannot be undone.
roles-remove-submit = Remove role
roles-tabs = Role details
roles-tab-members = Assigned users
roles-tab-environments = Environment access
roles-members-empty = Nobody holds this role yet.
roles-member = Member
roles-assignment = Assignment
roles-assignment-active = Active
roles-you = You
roles-unassign = Unassign
roles-unassign-and-remove = Unassign and remove from organization
roles-only-role-note = This is the member's only role: unassigning it removes them from the organization.
roles-assign-title = Assign members
roles-assign-legend = Members who do not hold this role
roles-assign-submit = Assign selected members
roles-assign-more = Only the first 200 members, by email, are listed here. Assign others from the users page.
roles-assign-none-left = Every member of the organization holds this role.
roles-assign-inactive = Reactivate the role to assign members to it.
roles-assign-none-selected = Choose at least one member to assign.
roles-environments-lead = What members of this role may do in each environment. Switch what they need, then save that environment.
roles-environments-suspended = This role is inactive, so the access below is suspended. It applies again when the role is reactivated.
roles-environments-empty = This organization has no environments yet.
roles-environments-manage = Manage environments
env-access-view-logs = View Logs
env-access-read = Read
env-access-execute = Execute
env-access-write = Write
flash-roles-created = Role created. Assign members and environment access below.
flash-roles-updated = Role saved.
flash-roles-deactivated = Role deactivated. Its members no longer get what it grants.
flash-roles-reactivated = Role reactivated.
flash-roles-removed = Role removed.
flash-roles-removed-members-left = Role removed. Members for whom it was the only role left the organization.
flash-roles-members-assigned = Members assigned.
flash-roles-assignment-on = Assignment switched on.
flash-roles-assignment-off = Assignment switched off.
flash-roles-unassigned = Member unassigned.
flash-roles-unassigned-member-left = Member unassigned. It was their only role, so they left the organization.
flash-roles-environment-access-saved = Environment access saved.
flash-roles-no-longer-admin = Done. Your roles no longer let you manage roles.

## Environments
environments-title = Environments
environments-lead = Where your organization's agents and applications run. Roles get access to each from the role's page.
environments-new-title = Add an environment
environments-name = Name
environments-create-submit = Add environment
environments-empty-title = No environments yet
environments-empty-body = Add one above, then give roles access to it from each role's page.
environments-col-name = Environment
environments-col-access = Roles with access
environments-rename = Rename
environments-new-name = New name
environments-no-access = No role has access.
environments-role-suspended = Role inactive
environments-access-of = Access of { $role }
environments-delete = Delete
environments-delete-title = Delete “{ $name }”?
environments-delete-body = The environment and every role's access to it are deleted. This cannot be undone.
environments-delete-roles = These roles lose their access:
environments-delete-no-roles = No role has access to it.
environments-delete-submit = Delete environment
flash-environments-created = Environment added.
flash-environments-renamed = Environment renamed.
flash-environments-deleted = Environment deleted.
users-more-actions = More actions for { $email }

## Policies
nav-policies = Policies
policies-title = Policies
policies-lead = What this organization requires of its members. Changes apply from the next sign-in, invitation or password change.
policies-changed-title = Saved. What changed:
policies-passwords = Passwords
policies-special-hint = At least one of ! # $ % _ < = > or another character that is not a letter, a digit or a space. Applies to new passwords; people in several organizations meet the strictest of them.
policies-domains = Member email domains
policies-domains-hint = Separate domains with commas or semicolons. Leave empty to allow any domain. Invitations outside these domains are refused.
policies-out-of-policy = { $count ->
    [one] One member has an email outside these domains:
   *[other] { $count } members have emails outside these domains:
}
policies-agents = Agent management
policies-agents-lead = Stored with the organization for its agents.
policies-time-zone-hint = An IANA time zone such as Europe/Warsaw or America/Sao_Paulo. Leave empty to use each agent's own.
policy-password-requires-special = Passwords require a special character
policy-member-domains = Allowed domains
policy-remote-agent-configuration = Remote agent configuration
policy-scheduler-time-zone = Scheduler time zone
policy-disable-connector-updates = Disable automatic connector updates
policy-domains-invalid = Enter domains like example.com, separated by commas or semicolons.
policy-time-zone-invalid = Choose a time zone from the list, such as Europe/Warsaw.
member-domain-refused = This email's domain is not allowed by the organization's policy on member domains.
password-needs-special = Add at least one special character, such as ! # $ % _ < = >.
flash-policies-saved = Policies saved.
flash-policies-unchanged = Nothing changed.

## Profile
nav-profile = Profile
profile-title = Your profile
profile-lead = Your name, language and time zone, your password, and where you are signed in.
profile-details-title = Your details
profile-name = Name
profile-language = Language
profile-language-en = English
profile-language-pt-br = Português (Brasil)
profile-language-pl = Polski
profile-language-browser = Use my browser's language
profile-language-invalid = Choose a language from the list.
profile-time-zone = Time zone
profile-time-zone-invalid = Choose a time zone from the list.
profile-password-title = Change password
profile-password-lead = Changing your password signs you out everywhere except here.
profile-current-password = Current password
profile-current-password-required = Enter your current password.
profile-current-password-wrong = That is not your current password.
profile-current-password-locked = Too many wrong passwords. Wait a few minutes, then try again.
profile-password-submit = Change password
profile-sessions-title = Active sessions
profile-sessions-lead = Browsers where you are signed in. Sign out any you do not recognise, then change your password.
profile-session-device-col = Device
profile-session-device = { $browser } on { $os }
profile-session-unknown-device = Unknown device
profile-session-this-device = This device
profile-session-signed-in = Signed in
profile-session-last-seen = Last active
profile-session-ip = IP address
profile-session-sign-out = Sign out
profile-sign-out-others = Sign out everywhere else
flash-profile-saved = Profile saved.
flash-password-changed = Password changed. Your other sessions were signed out.
flash-session-ended = Session signed out.
flash-other-sessions-ended = Signed out everywhere else.
policies-members = Members
policies-ip = Network
policy-password-expiry-days = Passwords expire after (days)
policy-password-history = Previous passwords that cannot be reused
policy-inactivity-days = Inactivate members after days without a sign-in
policy-ip-allow-list = Allowed addresses
policies-expiry-hint = At the next sign-in after that, the member must choose a new password first. 0 means never.
policies-history-hint = A new password may not be any of this many previous ones. 0 turns it off.
policies-inactivity-hint = Inactive members cannot act in this organization until an admin reactivates them. 0 means never.
policies-ip-hint = Addresses and ranges (CIDR), IPv4 or IPv6, separated by commas. Requests from elsewhere are refused for this organization only. Your address now: { $address }.
policies-lockout-warning = This list does not include your current address ({ $address }). Saving it would lock you out of this organization.
policies-lockout-confirm = I understand; save anyway
policy-numbers-invalid = Enter whole numbers: days from 0 to 3650, previous passwords from 0 to 24.
policy-ip-invalid = Enter addresses like 203.0.113.7 or ranges like 198.51.100.0/24, separated by commas.
users-reactivate = Reactivate
member-not-inactive = Only inactive members can be reactivated.
flash-member-reactivated = The member is active again.

## Password history
password-reused = You used this password recently. Choose one you have not used for your last { $count } passwords.
password-expired-title = Your password has expired
password-expired-lead = Your organization asks you to choose a new password from time to time. Choose one now to continue.
password-expired-submit = Change password and continue
address-not-allowed = This organization does not accept requests from your network address. Ask one of its administrators to add it to the allowed addresses.

policies-two-factor = Two-factor authentication
policy-two-factor-mode = Ask for a code at sign-in
policy-two-factor-days = Trust a device for (days)
policies-two-factor-off = Off
policies-two-factor-periodic = Every N days on each device
policies-two-factor-always = On every sign-in
policies-two-factor-hint = Used with "Every N days": from 1 to 365.
policy-two-factor-invalid = Choose one of the two-factor options.
policy-two-factor-days-invalid = Enter a number of days from 1 to 365.
two-factor-title = Enter your code
two-factor-lead = We emailed a 6-digit code to { $email }. It is valid for 10 minutes.
two-factor-code = Code
two-factor-submit = Verify
two-factor-resend = Send a new code
two-factor-wrong = { $count ->
    [one] Wrong code, 1 try left.
   *[other] Wrong code, { $count } tries left.
}
two-factor-voided = Too many wrong tries: this code no longer works. Send a new code.
two-factor-expired = This code has expired. Send a new code.
two-factor-sent = A new code is on its way.
two-factor-wait = { $count ->
    [one] You can ask for a new code in 1 second.
   *[other] You can ask for a new code in { $count } seconds.
}
two-factor-start-over = For your security, this sign-in was stopped. Sign in again with your password.
email-two-factor-subject = Your sign-in code
email-two-factor-intro = Use this code to finish signing in to { $organization }:
email-two-factor-expiry = The code is valid for 10 minutes and works once. If you did not try to sign in, change your password.
