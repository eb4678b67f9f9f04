# English, the reference catalog. Every key here must exist in every other catalog
# (a unit test checks). Keys are grouped by page; shared words come first.

app-name = Gatehouse
skip-to-content = Skip to content
menu = Menu
nav-main = Main
nav-overview = Overview
organization = Organization
switch = Switch
dismiss = Dismiss
sign-in = Sign in
sign-out = Sign out
email = Email
password = Password
go-home = Go to the console
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
forgot-sent-body = If an account exists for that address, an email with a reset link is on its way. The link works for one hour.
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
deliveries-send-again = Send again
delivery-status-pending = Pending
delivery-status-sent = Sent
delivery-status-failed = Failed
flash-test-email-queued = A test email is on its way to you.
flash-delivery-requeued = The email will be sent again.
