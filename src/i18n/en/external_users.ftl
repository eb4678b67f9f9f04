# external_users
## The users page's "External users" tab: people with access to the API portal only.
external-tabs-label = Users
external-tab-members = Members
external-tab-external = External users
external-title = External users
external-lead = People outside the organization with access to its API portal only, for a limited time.
external-search-label = Search external users
external-search-placeholder = Search by email, name or company
external-empty = No external users yet.
external-no-match = No external users match “{ $search }”.
external-col-email = Email
external-col-name = Name
external-col-company = Company
external-col-status = Status
external-col-access = Access to
external-col-expires = Access expires
external-col-last-sign-in = Last sign-in
external-col-member-since = Member since
external-status-requested = Requested
external-status-active = Active
external-status-suspended = Suspended
external-status-expired = Expired
external-access-none = Nothing yet
external-access-group-label = Group:
external-access-more = +{ $count } more
external-expires-never = Never
external-expires-ends = ends { $at } your time
external-access-action = Access
external-more-actions = More actions for { $email }
external-resend = Resend invitation
external-resend-choose = Resend invitation…
external-edit = Edit expiry
external-suspend = Suspend
external-reactivate = Reactivate
external-delete = Delete
## Inviting, and the expiry fields.
external-invite = Invite external user
external-invite-lead = They receive an email with a link to register for the API portal. They never get access to this console.
external-invite-email-hint = Not the email of a member of this organization.
external-invite-submit = Send invitation
external-expiry-legend = Access expires
external-expiry-never = Never
external-expiry-on-date = On a date
external-expires-on = Last day of access
external-expiry-hint = Access ends at 23:59 of that day in the person's time zone (until they register: { $zone }).
external-expiry-hint-registered = Access ends at 23:59 of that day in the person's own time zone ({ $zone }).
## Resending, changing the expiry, deleting.
external-edit-title = Access expiry of { $email }
external-edit-lead = Change when access to the API portal ends.
external-resend-title = New invitation for { $email }
external-resend-lead = A new registration email is sent; the previous link stops working.
external-resend-expired-lead = Access has expired. Choose a new expiry: a new registration email is sent, and the previous link stops working.
external-resend-submit = Send a new link
external-delete-title = Delete external user
external-delete-body = { $email } loses access to the API portal at once, including sessions already open. Their invitation links stop working.
external-delete-submit = Delete external user
## The "Access to" drawer.
external-access-title = Access of { $email }
external-access-lead = Choose the API groups and single APIs this person may use in the API portal.
external-access-empty-catalog = There are no APIs or API groups yet.
external-access-groups = API groups
external-access-group-apis = { $count ->
    [one] { $count } API
   *[other] { $count } APIs
}
external-access-environment = APIs in { $environment }
## Refusals.
external-date-required = Choose the last day of access.
external-date-invalid = Enter a date like 2026-11-30.
external-date-past = Choose today or a later date.
external-is-member = This person is a member of the organization. External users are people from outside it.
external-already-invited = This person is an external user of this organization already.
external-resend-needs-expiry = Access has expired: choose a new expiry first.
external-resend-not-allowed = Invitations can be sent again only to requested or expired external users.
external-edit-not-allowed = The expiry can be changed only for active or suspended external users. Resend the invitation to an expired one.
external-suspend-not-allowed = Only active external users can be suspended.
external-reactivate-not-allowed = Only suspended external users can be reactivated.
## Messages after a change.
external-flash-invited = Invitation sent.
external-flash-resent = A new invitation was sent; the previous link no longer works.
external-flash-expiry-changed = Access expiry changed.
external-flash-suspended = External user suspended. Their access ended at once.
external-flash-reactivated = External user reactivated.
external-flash-deleted = External user deleted. Their access ended at once.
external-flash-access-saved = Access saved.
## The registration email.
external-email-subject = Your access to the { $organization } API portal
external-email-body = { $inviter } invited you to the API portal of { $organization } on Gatehouse. Open the link below to register.
external-email-button = Register
external-email-access-never = Your access has no end date.
external-email-access-until = Your access lasts until 23:59 on { $date } ({ $zone } time).
